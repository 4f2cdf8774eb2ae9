/** The harness's options and what it records (index.ts), shared by its parts. */
import type { FeaturePrivilege } from './grants';

export interface HarnessUser {
  password: string;
  privilege: FeaturePrivilege;
  /** Sub-feature privileges (by id) given besides: a role customised as "read + triage". */
  subFeatures?: string[];
  /** A login Kibana cannot grant API keys for (a session from a PKI or Kerberos realm, say). */
  cannotGrantKeys?: boolean;
}

export interface HarnessOptions {
  /** The built plugin folder (holding kibana.json, server/, node_modules/). */
  pluginDir: string;
  /** The plugin's kibana.yml settings (under its configPath). */
  config?: Record<string, unknown>;
  esUrl: string;
  users?: Record<string, HarnessUser>;
  /** Kibana with the security plugin (default true). */
  security?: boolean;
  /** Kibana with encryptedSavedObjects (default true). */
  encryptedSavedObjects?: boolean;
  /** xpack.encryptedSavedObjects.encryptionKey set (default true); without it `canEncrypt` is false. */
  encryptionKey?: boolean;
  /** Changes the plugin's feature as registered (to test what Kibana does with other privileges). */
  featureTransform?: (feature: Record<string, any>) => Record<string, any>;
  kibanaVersion?: string;
}

export interface RecordedRoute {
  method: string;
  path: string;
  config: {
    path: string;
    validate: false | Record<string, ((data: unknown, f: unknown) => { value?: unknown; error?: Error & { path?: string[] } }) | undefined>;
    security?: { authz?: { requiredPrivileges?: string[] } };
    options?: { access?: string };
  };
  handler: (context: unknown, request: unknown, response: unknown) => Promise<{ status: number; payload?: unknown }>;
}

export interface LogLine {
  level: string;
  context: string;
  message: string;
}

export interface GrantedKey {
  id: string;
  name: string;
  api_key: string;
  owner: string;
  metadata?: Record<string, unknown>;
}
