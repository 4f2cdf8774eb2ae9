/**
 * CloudTrail synth shapes shared by the principal builder, the daily schedules, the attacks and the
 * document renderer: principals (roles, IAM users and the people behind them), API calls before
 * rendering, and the account environment.
 */
import type { Call, RegionInfo } from './cloudtrail_catalog';
import type { Device } from './devices';
import type { Asn, City } from './geo';
import type { Schedule } from './schedules';
import type { Rng } from './rng';
import type { NetCtx } from './timeline';

export type PKind = 'lambda' | 'ecs' | 'eks-node' | 'aws-service' | 'third-party' | 'ci' | 'terraform' | 'sso-role' | 'iam-human' | 'iam-svc';

export interface CtHuman {
  email: string;
  sched: Schedule;
  home: City;
  homeAsn: Asn;
  office: { city: City; asn: Asn } | null;
  officeDays: number[];
  browser: Device;
  cliOs: string;
  cliArch: string;
  cliLag: number;
  pages: { v: string; w: number }[];
  cliShare: number;
  /** Calls on a working day. */
  rate: number;
  trips: { from: number; to: number; city: City; asn: Asn }[];
  writeP: number;
}

export interface Principal {
  idx: number;
  name: string;
  kind: PKind;
  type: 'AssumedRole' | 'IAMUser';
  account: string;
  principalId: string;
  arn: string;
  regions: { v: string; w: number }[];
  calls: { v: Call; w: number; from: number }[];
  tick: Call[];
  /** Minutes between polls (periodic principals). */
  period: number;
  /** Calls per (working) day. */
  rate: number;
  home: RegionInfo;
  ua: (t: number, day: number, rng: Rng) => string;
  net: 'aws' | 'service' | 'office' | 'runners' | 'vendor';
  egress: { asn: Asn; city: City; ips: string[] };
  serviceHost: string;
  sessionName: (day: number, rng: Rng) => string;
  deploys: number[];
  humans: CtHuman[];
  buckets: string[];
  /** Benign error episodes: one call fails for a few hours (permissions change, throttling). */
  incidents: { day: number; fromH: number; toH: number; call: Call; code: string }[];
  /** Days a secondary region is exercised (DR tests). */
  regionTests: { day: number; region: string }[];
  accessKey: string;
  schedule: 'traffic' | 'periodic' | 'nightly' | 'ci' | 'human';
  nightlyHour: number;
}

/** One API call before rendering. */
export interface CtCall {
  t: number;
  svc: string;
  action: string;
  region: string;
  /** The caller's network, or an AWS service name as the source address. */
  src: NetCtx | string;
  ua: string;
  /** Browser agent when the call comes from the console in a browser. */
  browser?: Device;
  session: string;
  accessKey: string;
  sessionStart: number;
  mfa: boolean;
  err?: string;
  params?: Record<string, unknown>;
  consoleLogin?: boolean;
}

export interface CtEnv {
  startMs: number;
  accounts: string[];
  homeRegions: string[];
  company: string;
  hqCity: City;
}
