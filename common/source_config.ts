/**
 * A data source the plugin fingerprints: which indices, read with which profile, and how scores
 * are written back. Shared by the engine, the CLI, the Kibana settings page and its API.
 */
import { z } from 'zod';

export const WRITE_MODES = ['in_place', 'scores'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

/** Fleet's rule for the namespace part of a data stream name. */
const NAMESPACE = /^[a-z0-9_]{1,100}$/;

export const sourceConfigSchema = z.object({
  /** Stable name of the source: names its models, checkpoint, lease and job runs. */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'lowercase letters, digits, "_", "." and "-", starting with a letter or digit'),
  /** Profile name (azure-signin, cloudtrail, ...). */
  profile: z.string().min(1),
  /** Index pattern to read; default: the profile's (e.g. logs-azure.signinlogs-*). */
  index: z.string().min(1).optional(),
  /** Date field that orders the read and the checkpoint. `event.ingested`, where integrations set
   *  it, also catches events that arrive late; `@timestamp` relies on `settleSeconds` for that. */
  timeField: z.string().min(1).default('@timestamp'),
  /** Replaces the profile's user key paths. */
  userField: z.string().min(1).optional(),
  /** in_place: dfp.* added to the original documents; scores: one document per event in logs-dfp.scores-<namespace>. */
  writeMode: z.enum(WRITE_MODES).default('scores'),
  namespace: z.string().regex(NAMESPACE, 'lowercase letters, digits and "_" (Fleet namespace rules)').default('default'),
  /** Events newer than now − settleSeconds wait for the next run, so that late-indexed events are not skipped. */
  settleSeconds: z.number().int().min(0).max(86_400).default(300),
  /** Where the first incremental run starts when the source has no checkpoint yet. */
  initialLookbackHours: z.number().positive().max(24 * 366).default(24),
});

export type SourceConfig = z.output<typeof sourceConfigSchema>;

/**
 * What a source's API key is used for in Kibana: which indices its jobs read (index, profile), how
 * (user and time fields) and where they write (write mode, namespace). Changing any of them puts
 * the key to a use its owner never agreed to, so saving such a change grants the editor's own key.
 */
export const KEY_BOUND_FIELDS = ['index', 'profile', 'userField', 'timeField', 'writeMode', 'namespace'] as const satisfies readonly (keyof SourceConfig)[];
export type SourceConfigInput = z.input<typeof sourceConfigSchema>;

/** Parses a source config, with an error that names every bad field. */
export function parseSourceConfig(input: unknown, where = 'source'): SourceConfig {
  const parsed = sourceConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid ${where}: ${problems.join('; ')}`);
  }
  return parsed.data;
}
