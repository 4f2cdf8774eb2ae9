/**
 * Elasticsearch mappings of the output field contract (DESIGN.md section 7): the `dfp` object added
 * to scored events in place, and the documents of the `logs-dfp.scores-*` data stream; and the
 * calls that put them in place (an index's mapping, a data stream's `@custom` component template,
 * the scores index template).
 *
 * Choices:
 * - `dfp.error` is `text` with a `keyword` subfield (ignore_above 1024): analysts search its words
 *   in Discover ("dfp.error: model"), and the messages come from a few fixed phrasings, so the
 *   keyword subfield aggregates them into "why were events not scored" charts.
 * - `dfp.features.<name>.pred` and `.value` (what the model expected, what it saw) are `keyword`
 *   (ignore_above 1024) whatever the JSON type: categorical values are strings, numeric ones numbers.
 * - Features named later (a profile gains a field) still map right through `dynamic_templates`:
 *   path-matched on `dfp.features.*.z` / `*.pred` / `*.value`, with no `match_mapping_type`, so an integer z
 *   of 0 becomes float, not long.
 * - `.seen` (the user's count of the value) is `long`; `.usual` (`[[value, share], …]`, which ES
 *   flattens) is `keyword`, so mixed strings and numbers index as one type.
 */
import type { Client } from '@elastic/elasticsearch';
import { FIELD_NAMESPACE } from '../../../../common/fields';
import { esErrorType } from './errors';
import { withRetry, type RetryOptions } from './retry';

type Mapping = Record<string, unknown>;

const KEYWORD = { type: 'keyword', ignore_above: 1024 } as const;
const FLOAT = { type: 'float' } as const;
const DATE = { type: 'date' } as const;
const BOOLEAN = { type: 'boolean' } as const;
const LONG = { type: 'long' } as const;

/** dfp.suppressed: the benign decision that keeps an event from being flagged (common/fields.ts Suppressed). */
const SUPPRESSED = {
  properties: { by: { ...KEYWORD }, at: { ...DATE }, until: { ...DATE }, event: { properties: { index: { ...KEYWORD }, id: { ...KEYWORD } } } },
} as const;

/** dfp.rollout: the rollout that explains what was new in the event (common/fields.ts Rollout). */
const ROLLOUT = { properties: { feature: { ...KEYWORD }, value: { ...KEYWORD }, users: { ...LONG }, window_hours: { ...LONG } } } as const;

/** Names of our dynamic templates; merging into existing lists goes by these names. */
export const DFP_DYNAMIC_TEMPLATE_NAMES = ['dfp_features_z', 'dfp_features_pred', 'dfp_features_value', 'dfp_features_seen', 'dfp_features_usual'] as const;

/** `dynamic_templates` entries mapping any `dfp.features.<name>.z` to float and `.pred` / `.value` to keyword. */
export function dfpDynamicTemplates(): Record<string, Mapping>[] {
  return [
    { dfp_features_z: { path_match: `${FIELD_NAMESPACE}.features.*.z`, mapping: { ...FLOAT } } },
    { dfp_features_pred: { path_match: `${FIELD_NAMESPACE}.features.*.pred`, mapping: { ...KEYWORD } } },
    { dfp_features_value: { path_match: `${FIELD_NAMESPACE}.features.*.value`, mapping: { ...KEYWORD } } },
    { dfp_features_seen: { path_match: `${FIELD_NAMESPACE}.features.*.seen`, mapping: { ...LONG } } },
    { dfp_features_usual: { path_match: `${FIELD_NAMESPACE}.features.*.usual`, mapping: { ...KEYWORD } } },
  ];
}

/** The `properties` of the `dfp` object: the contract's fields, and `z`/`pred`/`value` of each feature named. */
export function dfpProperties(featureNames: readonly string[]): Mapping {
  const features: Mapping = {};
  for (const name of featureNames) {
    features[name] = { properties: { z: { ...FLOAT }, pred: { ...KEYWORD }, value: { ...KEYWORD }, seen: { ...LONG }, usual: { ...KEYWORD } } };
  }
  return {
    anomaly_score: { ...FLOAT },
    max_abs_z: { ...FLOAT },
    zscore: { ...FLOAT },
    is_anomaly: { ...BOOLEAN },
    threshold: { ...FLOAT },
    top_features: { ...KEYWORD },
    features: { properties: features },
    user: { ...KEYWORD },
    model: { properties: { version: { ...KEYWORD }, generic: { ...BOOLEAN }, trained_at: { ...DATE }, fallback_reason: { ...KEYWORD } } },
    ts_anomaly: { ...BOOLEAN },
    ts_zscore: { ...FLOAT },
    user_risk: { ...FLOAT },
    user_flagged: { ...BOOLEAN },
    rollout: ROLLOUT,
    suppressed: SUPPRESSED,
    scored_at: { ...DATE },
    error: { type: 'text', fields: { keyword: { ...KEYWORD } } },
  };
}

/**
 * Mappings for an index whose documents get `dfp` added in place (PUT _mapping body, or the
 * `template.mappings` of an `@custom` component template).
 */
export function dfpMappings(featureNames: readonly string[]): { properties: Mapping; dynamic_templates: Record<string, Mapping>[] } {
  return { properties: { [FIELD_NAMESPACE]: { properties: dfpProperties(featureNames) } }, dynamic_templates: dfpDynamicTemplates() };
}

/**
 * Mappings of the scores data stream. The same for every source writing to it (the index template
 * is shared), so per-source fields are not named: features map through the dynamic templates,
 * and the copied key and display fields (strings) through `strings_as_keyword`.
 */
export function scoresStreamMappings(): Mapping {
  return {
    dynamic_templates: [...dfpDynamicTemplates(), { strings_as_keyword: { match_mapping_type: 'string', mapping: { ...KEYWORD } } }],
    properties: {
      '@timestamp': { ...DATE },
      data_stream: { properties: { type: { type: 'constant_keyword' }, dataset: { type: 'constant_keyword' }, namespace: { type: 'constant_keyword' } } },
      event: { properties: { id: { ...KEYWORD }, risk_score: { ...FLOAT }, risk_score_norm: { ...FLOAT } } },
      [FIELD_NAMESPACE]: {
        properties: { ...dfpProperties([]), source: { properties: { index: { ...KEYWORD }, id: { ...KEYWORD }, name: { ...KEYWORD } } } },
      },
    },
  };
}

/**
 * `dynamic_templates` with ours put first (replacing any of the same name): in ES a PUT _mapping
 * that names `dynamic_templates` replaces the whole list, so the existing ones must be sent back.
 * First, because ES uses the first template that matches; ours match only `dfp.features.*`.
 */
export function withDfpDynamicTemplates(existing: readonly Record<string, unknown>[] | undefined): Record<string, unknown>[] {
  const ours = new Set<string>(DFP_DYNAMIC_TEMPLATE_NAMES);
  const others = (existing ?? []).filter((t) => !ours.has(Object.keys(t)[0]));
  return [...dfpDynamicTemplates(), ...others];
}

/** Marks what the plugin put, so an operator can tell it from their own settings. */
const MANAGED_BY = { managed_by: 'digital-fingerprinting' };

export const SCORES_TEMPLATE = 'logs-dfp.scores';
export const SCORES_CUSTOM_TEMPLATE = `${SCORES_TEMPLATE}@custom`;

/**
 * Puts the scores data stream's index template. Priority 200 is above the stack's `logs` template
 * (100, pattern `logs-*-*`), like Fleet's integration templates. Template changes reach an existing
 * stream at its next rollover, as with any index template.
 */
export async function putScoresIndexTemplate(client: Client, retry?: RetryOptions): Promise<void> {
  await withRetry(
    `put index template ${SCORES_TEMPLATE}`,
    () =>
      client.indices.putIndexTemplate(
        {
          name: SCORES_TEMPLATE,
          index_patterns: [`${SCORES_TEMPLATE}-*`],
          data_stream: {},
          priority: 200,
          // Room for an operator's own settings (ILM policy, shards) that survives our updates.
          composed_of: [SCORES_CUSTOM_TEMPLATE],
          ignore_missing_component_templates: [SCORES_CUSTOM_TEMPLATE],
          template: { mappings: scoresStreamMappings() },
          _meta: { ...MANAGED_BY, description: 'Digital fingerprinting: one document per scored event' },
        },
        { signal: retry?.signal },
      ),
    retry,
  );
}

/** Contract fields added after the scores stream's first template: mapped explicitly on streams that predate them. */
const LATER_FIELDS: Mapping = { user_risk: { ...FLOAT }, user_flagged: { ...BOOLEAN }, suppressed: SUPPRESSED };

/**
 * Maps LATER_FIELDS on every backing index of `stream` (nothing when the stream does not exist
 * yet: its template maps them). Mapping a field already mapped the same way changes nothing.
 */
export async function mapNewFieldsOnStream(client: Client, stream: string, retry?: RetryOptions): Promise<void> {
  try {
    await putNewFields(client, stream, retry);
  } catch (e) {
    if (esErrorType((e as Error).cause) !== 'index_not_found_exception') throw e; // no stream yet
  }
}

async function putNewFields(client: Client, stream: string, retry?: RetryOptions): Promise<void> {
  await withRetry(
    `map new dfp fields on ${stream}`,
    () =>
      client.indices.putMapping(
        { index: stream, ignore_unavailable: true, allow_no_indices: true, properties: { [FIELD_NAMESPACE]: { properties: LATER_FIELDS } } as never },
        { signal: retry?.signal },
      ),
    retry,
  );
}

/**
 * Makes sure `dfp.*` is mapped on `index` (a concrete index: a hit's `_index`). Reads the mapping
 * first and puts nothing when it already has ours; otherwise puts our properties with the
 * index's existing dynamic templates kept (a put replaces the whole list). Throws `<what>: <reason>`
 * with the client error as `cause` (a read-only index answers 403 `cluster_block_exception`).
 */
export async function ensureDfpMapped(client: Client, index: string, featureNames: readonly string[], retry?: RetryOptions): Promise<void> {
  const got = await withRetry(`read the mapping of ${index}`, () => client.indices.getMapping({ index }, { signal: retry?.signal }), retry);
  const current = (got[index]?.mappings ?? {}) as Record<string, unknown>;
  const wanted = dfpMappings(featureNames);
  const dynamicTemplates = withDfpDynamicTemplates(current.dynamic_templates as Record<string, unknown>[] | undefined);
  if (covers(current.properties, wanted.properties) && sameJson(current.dynamic_templates, dynamicTemplates)) return;
  await withRetry(
    `map dfp.* on ${index}`,
    () => client.indices.putMapping({ index, properties: wanted.properties as never, dynamic_templates: dynamicTemplates as never }, { signal: retry?.signal }),
    retry,
  );
}

/** The data stream a backing index name belongs to (`.ds-<stream>-<yyyy.MM.dd>-<generation>`), by its name. */
export function streamOfBackingIndexName(index: string): string | undefined {
  // Searchable snapshots of backing indices keep the name behind a `partial-` / `restored-` prefix.
  return /^(?:partial-|restored-)?\.ds-(.+)-\d{4}\.\d{2}\.\d{2}-\d{6}$/.exec(index)?.[1];
}

/**
 * For a data stream's backing index: merges `dfp.*` into the `<index template>@custom` component
 * template of its stream, so that backing indices created by later rollovers have it from the
 * start. An existing `@custom` keeps everything else it holds; a missing one is created. Returns a
 * warning (nothing is lost: each backing index is still mapped as it is first written) when the
 * stream's template does not compose its `@custom`; undefined otherwise, or when `index` is not a
 * backing index. Throws on Elasticsearch failures.
 */
export async function ensureStreamCustomTemplate(client: Client, index: string, featureNames: readonly string[], retry?: RetryOptions): Promise<string | undefined> {
  const stream = streamOfBackingIndexName(index);
  if (!stream) return undefined;
  const signal = retry?.signal;
  let found;
  try {
    found = await withRetry(`look up data stream ${stream}`, () => client.indices.getDataStream({ name: stream }, { signal }), retry);
  } catch (e) {
    if (esErrorType((e as Error).cause) === 'index_not_found_exception') return undefined; // named like one, but no stream
    throw e;
  }
  const ds = found.data_streams.find((d) => d.name === stream);
  if (!ds || !ds.indices.some((i) => i.index_name === index)) return undefined;
  const templateName = ds.template;
  const customName = `${templateName}@custom`;
  const tmpl = await withRetry(`read index template ${templateName}`, () => client.indices.getIndexTemplate({ name: templateName }, { signal }), retry);
  const composedOf = tmpl.index_templates[0]?.index_template.composed_of ?? [];
  if (!composedOf.includes(customName)) {
    return `index template [${templateName}] of data stream [${stream}] does not use [${customName}]; dfp.* is mapped on each backing index when first written instead`;
  }
  // Create-if-missing uses create=true so that two writers racing to create it cannot overwrite
  // each other: the loser reads the winner's and merges into it.
  for (let attempt = 0; ; attempt++) {
    const existing = await readComponentTemplate(client, customName, retry);
    const body = existing ?? { template: {}, _meta: { ...MANAGED_BY } };
    const template = (body.template ?? {}) as Record<string, unknown>;
    const mappings = (template.mappings ?? {}) as Record<string, unknown>;
    const wanted = dfpMappings(featureNames);
    const merged = {
      ...mappings,
      properties: mergeProperties(mappings.properties, wanted.properties),
      dynamic_templates: withDfpDynamicTemplates(mappings.dynamic_templates as Record<string, unknown>[] | undefined),
    };
    if (existing && sameJson(merged, mappings)) return undefined;
    try {
      await withRetry(
        `put component template ${customName}`,
        () => client.cluster.putComponentTemplate({ name: customName, create: !existing, ...body, template: { ...template, mappings: merged } } as never, { signal }),
        retry,
      );
      return undefined;
    } catch (e) {
      const lostRace = !existing && attempt === 0 && /already exists/.test(String((e as Error).message));
      if (!lostRace) throw e;
    }
  }
}

async function readComponentTemplate(client: Client, name: string, retry?: RetryOptions): Promise<Record<string, unknown> | undefined> {
  try {
    const got = await withRetry(`read component template ${name}`, () => client.cluster.getComponentTemplate({ name }, { signal: retry?.signal }), retry);
    return got.component_templates.find((t) => t.name === name)?.component_template as Record<string, unknown> | undefined;
  } catch (e) {
    if (esErrorType((e as Error).cause) === 'resource_not_found_exception') return undefined;
    throw e;
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Mapping properties of `base` with `extra`'s added (extra wins where both define a leaf). */
function mergeProperties(base: unknown, extra: Json): Json {
  const out: Json = { ...(isObject(base) ? base : {}) };
  for (const [k, v] of Object.entries(extra)) out[k] = isObject(v) && isObject(out[k]) ? mergeProperties(out[k], v) : v;
  return out;
}

/** Whether `have` holds everything `want` does (extra keys in `have` allowed). */
function covers(have: unknown, want: unknown): boolean {
  if (isObject(want)) return isObject(have) && Object.entries(want).every(([k, v]) => covers(have[k], v));
  return sameJson(have, want);
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
