/**
 * User agents of CloudTrail principals: which SDK or tool each kind of principal calls with, and
 * how its version drifts (SDKs move on redeploys, vendors and CI runners track releases, legacy
 * tooling stays pinned for years, people's CLIs lag upgrades by their own habit).
 */
import { botoUa, cliUa, goUa, javaUa, jsUa, sdkVersion, terraformUa } from './cloudtrail_catalog';
import type { Device } from './devices';
import type { Rng } from './rng';
import { DAY } from './time';

export type DeploySdk = 'boto3' | 'jsv3' | 'java2' | 'go2';

/** The last deploy on or before day (-1000 when none). */
export function lastDeploy(deploys: number[], day: number): number {
  let last = -1000;
  for (const d of deploys) if (d <= day) last = d;
  return last;
}

/** SDK versions that move only when the code is redeployed. */
export function deployedSdk(deploys: number[], startMs: number, lagDays: number): (day: number, sdk: DeploySdk) => string {
  return (day, sdk) => sdkVersion(sdk, startMs + lastDeploy(deploys, day) * DAY, lagDays);
}

export type LambdaLang = 'python' | 'node' | 'java';

export function lambdaUa(lang: LambdaLang, sdk: (day: number, s: DeploySdk) => string, day: number): string {
  return lang === 'python' ? botoUa(sdk(day, 'boto3'), 'AWS_Lambda_python3.12') : lang === 'node' ? jsUa(sdk(day, 'jsv3'), 'AWS_Lambda_nodejs20.x', 's3') : javaUa(sdk(day, 'java2'), 'AWS_Lambda_java21');
}

export function ecsUa(sdk: (day: number, s: DeploySdk) => string, day: number): string {
  return javaUa(sdk(day, 'java2'), 'AWS_ECS_FARGATE');
}

export function eksNodeUa(sdk: (day: number, s: DeploySdk) => string, day: number): string {
  return goUa(sdk(day, 'go2'), 'api/ec2#1.210.0 m/E');
}

/** Monitoring and audit vendors: a Go SDK that follows releases within a couple of months. */
export function vendorUa(t: number, name: string, audit: boolean): string {
  return goUa(sdkVersion('go2', t, 60), audit ? `app/${name.toLowerCase().replace('role', '')}-scanner` : 'app/datadog-agent');
}

/** CI runners: Terraform for Terraform pipelines, else the latest CLI running one of a few deploy steps. */
export function ciUa(name: string, t: number, rr: Rng): string {
  return name.includes('terraform') ? terraformUa(t, 7) : cliUa(sdkVersion('cli2', t, 3), 'linux#6.11.0-1018-azure', rr.pick(['ecr.get-login-password', 'ecs.update-service', 'ecs.wait', 's3.sync', 'cloudformation.deploy', 'sts.get-caller-identity']));
}

export type LegacyStyle = 'java1' | 'cli1' | 'boto';

/**
 * Legacy tooling pinned to old SDKs: the same user agent for years. r is the principal's own
 * generator, drawn from on every call (the CLI style's version), as it always has been.
 */
export function legacyUa(style: LegacyStyle, legacyVersion: string, pyVersion: string, r: Rng): string {
  return style === 'java1' ? `aws-sdk-java/${legacyVersion} Linux/3.10.0-1160.el7.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b08 java/1.8.0_412 vendor/Red_Hat,_Inc.` : style === 'cli1' ? `aws-cli/1.${r.int(18, 29)}.${r.int(0, 90)} Python/3.6.8 Linux/3.10.0-1160.el7.x86_64 botocore/${pyVersion}` : botoUa(pyVersion, '', '3.10.0-1160.el7.x86_64', '3.6.8');
}

/** The platform a person's AWS CLI reports, from their computer. */
export function cliPlatform(browser: Device): { cliOs: string; cliArch: string } {
  return {
    cliOs: browser.os === 'macos' ? 'macos#24.6.0' : browser.os === 'windows' ? 'windows#11' : 'linux#6.8.0-79-generic',
    cliArch: browser.os === 'macos' ? 'arm64' : 'x86_64',
  };
}
