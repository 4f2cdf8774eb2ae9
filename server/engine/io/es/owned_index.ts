/**
 * The indices the plugin owns (models, job state, triage decisions): hidden, one shard, created on first use with
 * an index template of their own so that a re-created index gets the same mappings.
 */
import type { Client } from '@elastic/elasticsearch';
import { esErrorType } from './errors';
import { withRetry, type RetryOptions } from './retry';

/** Names of the plugin's own indices. One prefix, so that two deployments can share a cluster. */
export function ownedIndexNames(prefix = '.dfp'): { models: string; state: string; triage: string } {
  return { models: `${prefix}-models`, state: `${prefix}-state`, triage: `${prefix}-triage` };
}

export interface OwnedIndexSpec {
  name: string;
  /** `properties` and friends; `dynamic: false` is added so stray fields never grow the mapping. */
  mappings: Record<string, unknown>;
}

/**
 * Puts the index's template, then creates the index (or, when it exists, adds any new mappings).
 * Safe to call from several processes at once: "already exists" is success.
 */
export async function ensureOwnedIndex(client: Client, spec: OwnedIndexSpec, retry?: RetryOptions): Promise<void> {
  const mappings = { dynamic: false, ...spec.mappings };
  const templateName = `${spec.name.replace(/^\./, '')}-template`;
  await withRetry(
    `put index template ${templateName}`,
    () =>
      client.indices.putIndexTemplate({
        name: templateName,
        index_patterns: [spec.name],
        // Above the stack's built-in templates (priority ≤ 200), so ours decides for our own names.
        priority: 500,
        template: { settings: { 'index.hidden': true, number_of_shards: 1, auto_expand_replicas: '0-1' }, mappings },
        _meta: { managed_by: 'digital-fingerprinting' },
      }),
    retry,
  );
  try {
    await withRetry(`create index ${spec.name}`, () => client.indices.create({ index: spec.name }), { ...retry });
  } catch (e) {
    // Also what a create that was applied and then sent again (its answer lost) gets.
    if (esErrorType((e as Error).cause) !== 'resource_already_exists_exception') throw e;
    await withRetry(`update mappings of ${spec.name}`, () => client.indices.putMapping({ index: spec.name, ...(mappings as object) }), retry);
  }
}
