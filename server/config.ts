/**
 * The plugin's kibana.yml settings (`digitalFingerprinting.*`): the schema Kibana validates them
 * with at startup, and the typed config the plugin reads. The schema is built from the
 * `@kbn/config-schema` API passed in, so this file never loads Kibana's module itself.
 */
import cron from 'node-cron';
import { DEFAULT_SCHEDULES } from '../common/api';
import { DEFAULTS } from '../common/fields';
import { MAX_SUPPRESS_DAYS } from '../common/triage';
import { parseSourceConfig, type SourceConfig } from '../common/source_config';
import type { BackendName } from './engine/model/backend';
import type { ConfigSchemaApi, SchemaType } from './kibana/types';

export const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const satisfies readonly (BackendName | 'auto')[];
export type BackendChoice = (typeof BACKENDS)[number];

export const MAX_WORKERS = 8;

/** The config as Kibana hands it over after validation (sources still as written in kibana.yml). */
export interface RawDfpConfig {
  enabled: boolean;
  schedules: { train: string; score: string };
  workers: number;
  backend: BackendChoice;
  sources: unknown[];
  indexPrefix: string;
  /** Days an event marked benign keeps the same pattern of its user from being flagged, when the decision does not say. */
  benignDays: number;
}

/** The config the plugin works with: sources parsed, their defaults applied. */
export interface DfpConfig extends Omit<RawDfpConfig, 'sources'> {
  /** Sources in force until an admin saves sources in the app. */
  sources: SourceConfig[];
}

const cronCheck = (value: string): string | void => (cron.validate(value) ? undefined : `"${value}" is not a cron expression (e.g. "*/5 * * * *")`);

/** Why a list of source configs is invalid (each bad field named), or nothing when it is valid. */
function sourcesCheck(value: unknown[]): string | void {
  try {
    const ids = value.map((s, i) => parseSourceConfig(s, `source ${i}`).id);
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (twice.length > 0) return `source ids must be unique; repeated: ${[...new Set(twice)].join(', ')}`;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The schema of `digitalFingerprinting.*` in kibana.yml. */
export function configSchema(schema: ConfigSchemaApi): SchemaType<RawDfpConfig> {
  return schema.object({
    enabled: schema.boolean({ defaultValue: true }),
    schedules: schema.object({
      train: schema.string({ defaultValue: DEFAULT_SCHEDULES.train, validate: cronCheck }),
      score: schema.string({ defaultValue: DEFAULT_SCHEDULES.score, validate: cronCheck }),
    }),
    // Job worker threads per Kibana instance (each trains on one core).
    workers: schema.number({ defaultValue: 1, min: 1, max: MAX_WORKERS, validate: (n) => (Number.isInteger(n) ? undefined : `must be a whole number, got ${n}`) }),
    backend: schema.oneOf(
      BACKENDS.map((b) => schema.literal(b)),
      { defaultValue: 'auto' as BackendChoice },
    ),
    // Checked with the same rules as the settings page (common/source_config.ts).
    sources: schema.arrayOf(schema.any(), { defaultValue: [], validate: sourcesCheck }),
    benignDays: schema.number({ defaultValue: DEFAULTS.benignSuppressionDays, min: 0.001, max: MAX_SUPPRESS_DAYS }),
    indexPrefix: schema.string({
      defaultValue: '.dfp',
      validate: (p) => (/^\.?[a-z0-9][a-z0-9_.-]*$/.test(p) ? undefined : `"${p}" is not an index name prefix (lowercase letters, digits, "_", "-", "."; may start with ".")`),
    }),
  }) as SchemaType<RawDfpConfig>;
}

/** The validated config with its sources parsed (their defaults applied). */
export function readConfig(raw: RawDfpConfig): DfpConfig {
  return { ...raw, sources: raw.sources.map((s, i) => parseSourceConfig(s, `digitalFingerprinting.sources[${i}]`)) };
}
