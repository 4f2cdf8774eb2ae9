/**
 * The bodies the sink (sink.ts) writes for a scored event, from its `dfp` object or from that
 * object already serialised (EncodedDfp: built and stringified on a scoring worker, see
 * jobs/lane_docs.ts). Both give the same bytes: the serialised form is spliced into the very JSON
 * JSON.stringify makes of the object form (tests: es_sink_encoded.test.ts).
 *
 * - In place: `{ doc: { dfp } }`, dfp's absent optional fields nulled so that an update clears a
 *   previous run's value.
 * - Scores mode: the scores document (key fields copied, the source's identity, ECS risk scores).
 */
import { DEFAULTS, FIELD_NAMESPACE, riskScoreNorm, type DfpFields, type Rollout } from '../../../../common/fields';
import { getField } from '../../profiles/field_path';

/** A scored event: where it was read from, its time, its document, and its `dfp` fields. */
export interface ScoredHit {
  index: string;
  id: string;
  time: string;
  event: Record<string, unknown>;
  dfp: DfpFields;
}

/**
 * A scored event's `dfp` object as JSON (UTF-8), less its closing brace, and what the sink reads
 * of it. The object holds the scored fields (SCORED_KEYS); the sink appends dfp.user_risk and
 * dfp.user_flagged when given.
 */
export interface EncodedDfp {
  /** The JSON is bytes[start … end). */
  bytes: Uint8Array;
  start: number;
  end: number;
  /** dfp.zscore and dfp.threshold as the JSON has them. */
  zscore: number;
  threshold: number;
  /** dfp.user_risk and dfp.user_flagged (user risk applied), else absent from the JSON. */
  userRisk?: number;
  userFlagged?: boolean;
  /** dfp.rollout, appended after them where user risk found one. */
  rollout?: Rollout;
}

/** A scored event whose `dfp` object is serialised already. */
export interface EncodedHit extends Omit<ScoredHit, 'dfp'> {
  json: EncodedDfp;
}

export function isEncoded(hit: ScoredHit | EncodedHit): hit is EncodedHit {
  return (hit as EncodedHit).json !== undefined;
}

/** The contract's optional fields, nulled in place when absent so that a re-run's update clears them. */
const CLEARABLE: (keyof DfpFields)[] = ['anomaly_score', 'max_abs_z', 'zscore', 'is_anomaly', 'threshold', 'top_features', 'features', 'model', 'ts_anomaly', 'ts_zscore', 'user_risk', 'user_flagged', 'rollout', 'suppressed', 'error'];

/** The keys of a scored event's `dfp` object before user risk (dfp_fields.assembleDfp's, in its order): what an EncodedDfp holds. */
export const SCORED_KEYS: readonly (keyof DfpFields)[] = ['user', 'anomaly_score', 'max_abs_z', 'zscore', 'is_anomaly', 'threshold', 'top_features', 'features', 'model', 'ts_anomaly', 'ts_zscore', 'scored_at'];

/** `dfp` with the contract's absent optional fields set to null: a partial update merges objects, so
 *  a field left out would keep the previous run's value (an old `error` on a now-scored event). */
export function clearedDfp(dfp: DfpFields): Record<string, unknown> {
  const out: Record<string, unknown> = { ...dfp };
  for (const key of CLEARABLE) out[key] = dfp[key] ?? null;
  return out;
}

/**
 * What follows an encoded dfp's JSON in an update (clearedDfp's order): user risk (and a rollout),
 * then the absent fields nulled, then the braces.
 */
const nulledBut = (written: readonly (keyof DfpFields)[]): string =>
  CLEARABLE.filter((k) => !SCORED_KEYS.includes(k) && !written.includes(k))
    .map((k) => `,${JSON.stringify(k)}:null`)
    .join('');
const nulledWithRisk = nulledBut(['user_risk', 'user_flagged']);
const nulledWithRollout = nulledBut(['user_risk', 'user_flagged', 'rollout']);
const nulledWithoutRisk = nulledBut([]);

/** The update body of an in-place write, from the `dfp` object. */
export function updateBody(dfp: DfpFields): Record<string, unknown> {
  return { doc: { [FIELD_NAMESPACE]: clearedDfp(dfp) } };
}

/** JSON in parts, one after the other (BulkOp.source): the encoded dfp's bytes between strings. */
export type JsonParts = readonly (string | Uint8Array)[];

/** updateBody's JSON, from an encoded `dfp`. */
export function encodedUpdateBody(json: EncodedDfp): JsonParts {
  const tail = json.userRisk !== undefined ? [riskText(json), json.rollout ? nulledWithRollout : nulledWithRisk] : [nulledWithoutRisk];
  return [UPDATE_HEAD, json.bytes.subarray(json.start, json.end), ...tail, '}}}'];
}

const UPDATE_HEAD = `{"doc":{${JSON.stringify(FIELD_NAMESPACE)}:`;

/** How the sink's scores documents are made (its options). */
export interface ScoresDocOptions {
  keyFields: readonly string[];
  sourceName?: string;
  namespace: string;
}

/** The scores document of a hit: key fields copied, the source's identity, dfp, ECS risk scores. */
export function scoresDocument(hit: ScoredHit, opts: ScoresDocOptions): Record<string, unknown> {
  const { doc, event } = docHead(hit, hit.dfp.zscore, hit.dfp.threshold, opts);
  return {
    ...doc,
    '@timestamp': hit.time,
    event,
    [FIELD_NAMESPACE]: { ...hit.dfp, source: sourceOf(hit, opts) },
    data_stream: { type: 'logs', dataset: 'dfp.scores', namespace: opts.namespace },
  };
}

/**
 * scoresDocument's JSON, from an encoded `dfp`, in parts (no string an event long is built: the
 * parts go straight into the bulk request). The document's keys are the key fields', then
 * `@timestamp`, `event`, `dfp`, `data_stream`: all before `dfp` are one JSON.stringify, its
 * closing brace left out. A key field under `dfp` or `data_stream` puts those keys elsewhere:
 * then the document is written key by key.
 */
export function encodedScoresBody(hit: EncodedHit, opts: ScoresDocOptions): JsonParts {
  const tails = tailsOf(opts);
  const bytes = hit.json.bytes.subarray(hit.json.start, hit.json.end);
  // What follows the dfp's bytes, as one string: one write into the bulk arena, not six.
  const after = `${riskText(hit.json)},"source":{"index":${JSON.stringify(hit.index)},"id":${JSON.stringify(hit.id)}${tails.source}`;
  const head = fastHead(hit, opts);
  if (head !== undefined) return [head + tails.dfpKey, bytes, after + tails.dataStream];
  const { doc, event } = docHead(hit, hit.json.zscore, hit.json.threshold, opts);
  if (Object.hasOwn(doc, FIELD_NAMESPACE) || Object.hasOwn(doc, 'data_stream')) return keyByKey(hit, doc, event, [after], opts);
  const whole = JSON.stringify({ ...doc, '@timestamp': hit.time, event });
  return [whole.slice(0, -1) + tails.dfpKey, bytes, after + tails.dataStream];
}

/**
 * The scores document's JSON before `,"dfp":` (no closing brace) as encodedScoresBody's
 * JSON.stringify of the document's head gives it, without building the head's objects (an
 * event's dozen objects and its spread were a tenth of the writing thread's time): the key fields'
 * JSON around their values comes from a plan per set of key fields present (HeadLayout), each
 * value stringified alone (JSON.stringify of an object is its members' JSON.stringify, joined).
 * Undefined where the plan cannot stand for JSON.stringify: key fields the layout does not take
 * (see headLayout), a time that is not a string, a value JSON.stringify leaves out.
 */
function fastHead(hit: EncodedHit, opts: ScoresDocOptions): string | undefined {
  const layout = headLayout(opts.keyFields);
  if (!layout || typeof hit.time !== 'string') return undefined;
  const values: unknown[] = [];
  let mask = 0;
  for (const i of layout.firsts) {
    const value = getField(hit.event, opts.keyFields[i]);
    if (value !== undefined && value !== null) {
      mask |= 1 << i;
      values[i] = value;
    }
  }
  let plan = layout.plans.get(mask);
  if (!plan) layout.plans.set(mask, (plan = headPlan(opts.keyFields, mask)));
  let text = plan.text[0];
  for (let j = 0; j < plan.slots.length; j++) {
    const json = JSON.stringify(values[plan.slots[j]]) as string | undefined;
    if (json === undefined) return undefined; // a key JSON.stringify leaves out (not read from JSON)
    text += json + plan.text[j + 1];
  }
  // docHead's `event`: a new object (no key field under `event`), keys in its order.
  const eventId = getField(hit.event, 'event.id');
  let event = '';
  if (eventId !== undefined && eventId !== null) {
    const json = JSON.stringify(eventId) as string | undefined;
    if (json === undefined) return undefined;
    event = `"id":${json},`;
  }
  const { zscore, threshold } = hit.json;
  if (zscore !== undefined) event += `"risk_score":${JSON.stringify(zscore)},`;
  event += `"risk_score_norm":${JSON.stringify(riskScoreNorm(zscore, threshold ?? DEFAULTS.zscoreThreshold))}`;
  return `{${text}${plan.slots.length > 0 ? ',' : ''}"@timestamp":${JSON.stringify(hit.time)},"event":{${event}}`;
}

/**
 * How a list of key fields lays out in a scores document's head: which fields to read (the first
 * of each path: a repeated path sets nothing new), and a plan per set of them present (`mask`,
 * bit i for key field i), made on first use. Where the plan could differ from JSON.stringify of
 * docHead's objects, none (the objects are built): a path under another (setPath's "a non-object
 * in the way wins", an object mutated), a path under `event`, `@timestamp`, `dfp` or
 * `data_stream` (keys docHead or the document merges or moves), integer-like keys (which
 * JSON.stringify puts first), `__proto__`, more than 30 fields (the mask's bits), a NUL (the
 * plan's marks).
 */
interface HeadLayout {
  firsts: number[];
  plans: Map<number, HeadPlan>;
}

/** A head's key fields as JSON: text[0], value of key field slots[0], text[1], …; the outer braces left out. */
interface HeadPlan {
  text: string[];
  slots: number[];
}

const layouts = new WeakMap<readonly string[], HeadLayout | null>();
function headLayout(fields: readonly string[]): HeadLayout | null {
  let layout = layouts.get(fields);
  if (layout !== undefined) return layout;
  const paths = pathsOf(fields);
  const moved = new Set(['event', '@timestamp', FIELD_NAMESPACE, 'data_stream']);
  const under = (a: readonly string[], b: readonly string[]): boolean => a.length < b.length && a.every((s, i) => s === b[i]);
  const fits =
    fields.length <= 30 &&
    fields.every((f) => !f.includes('\u0000')) &&
    paths.every((p) => !moved.has(p[0]) && p.every((s) => s !== '__proto__' && !/^\d+$/.test(s)) && paths.every((q) => !under(p, q)));
  const firsts = fields.map((f, i) => (fields.indexOf(f) === i ? i : -1)).filter((i) => i >= 0);
  layout = fits ? { firsts, plans: new Map() } : null;
  layouts.set(fields, layout);
  return layout;
}

/** The plan of the key fields in `mask`: docHead's objects built with marks for values, stringified, cut at the marks. */
function headPlan(fields: readonly string[], mask: number): HeadPlan {
  const doc: Record<string, unknown> = {};
  const paths = pathsOf(fields);
  for (let i = 0; i < fields.length; i++) {
    const first = fields.indexOf(fields[i]);
    if (mask & (1 << first)) setPath(doc, paths[i], `\u0000${first}\u0000`);
  }
  const pieces = JSON.stringify(doc).slice(1, -1).split(/"\\u0000(\d+)\\u0000"/);
  return { text: pieces.filter((_, j) => j % 2 === 0), slots: pieces.filter((_, j) => j % 2 === 1).map(Number) };
}

/** encodedScoresBody where key fields put `dfp` or `data_stream` among theirs: JSON.stringify's order, key by key. */
function keyByKey(hit: EncodedHit, doc: Record<string, unknown>, event: Record<string, unknown>, dfpTail: string[], opts: ScoresDocOptions): JsonParts {
  const whole: Record<string, unknown> = { ...doc, '@timestamp': hit.time, event, [FIELD_NAMESPACE]: DFP, data_stream: { type: 'logs', dataset: 'dfp.scores', namespace: opts.namespace } };
  const parts: (string | Uint8Array)[] = [];
  let sep = '{';
  for (const key of Object.keys(whole)) {
    const value = whole[key];
    if (value === DFP) {
      parts.push(`${sep}${JSON.stringify(key)}:`, hit.json.bytes.subarray(hit.json.start, hit.json.end), ...dfpTail);
    } else {
      const text = JSON.stringify(value) as string | undefined;
      if (text === undefined) continue; // as JSON.stringify leaves such a key out
      parts.push(`${sep}${JSON.stringify(key)}:${text}`);
    }
    sep = ',';
  }
  parts.push(sep === '{' ? '{}' : '}');
  return parts;
}

/** Stands for the dfp object in a document whose dfp is serialised already. */
const DFP = Symbol('dfp');

/** The constant parts of a sink's encoded scores documents. */
const tailCache = new WeakMap<ScoresDocOptions, { dfpKey: string; source: string; dataStream: string }>();
function tailsOf(opts: ScoresDocOptions): { dfpKey: string; source: string; dataStream: string } {
  let t = tailCache.get(opts);
  if (!t) {
    t = {
      dfpKey: `,${JSON.stringify(FIELD_NAMESPACE)}:`,
      source: opts.sourceName ? `,"name":${JSON.stringify(opts.sourceName)}}}` : '}}',
      dataStream: `,"data_stream":${JSON.stringify({ type: 'logs', dataset: 'dfp.scores', namespace: opts.namespace })}}`,
    };
    tailCache.set(opts, t);
  }
  return t;
}

/** The key fields of a scores document (as nested objects) and its `event` (event.id, ECS risk scores). */
function docHead(hit: Omit<ScoredHit, 'dfp'>, zscore: number | undefined, threshold: number | undefined, opts: ScoresDocOptions): { doc: Record<string, unknown>; event: Record<string, unknown> } {
  const doc: Record<string, unknown> = {};
  const paths = pathsOf(opts.keyFields);
  for (let i = 0; i < paths.length; i++) {
    const value = getField(hit.event, opts.keyFields[i]);
    if (value !== undefined && value !== null) setPath(doc, paths[i], value);
  }
  const eventId = getField(hit.event, 'event.id');
  const event = (typeof doc.event === 'object' && doc.event !== null ? doc.event : {}) as Record<string, unknown>;
  if (eventId !== undefined && eventId !== null) event.id = eventId;
  if (zscore !== undefined) event.risk_score = zscore;
  event.risk_score_norm = riskScoreNorm(zscore, threshold ?? DEFAULTS.zscoreThreshold);
  return { doc, event };
}

function sourceOf(hit: Omit<ScoredHit, 'dfp'>, opts: ScoresDocOptions): Record<string, string> {
  return { index: hit.index, id: hit.id, ...(opts.sourceName ? { name: opts.sourceName } : {}) };
}

/** `,"user_risk":…,"user_flagged":…` (then `,"rollout":…` where one explains the event) where user risk was applied, else nothing. */
function riskText(json: EncodedDfp): string {
  if (json.userRisk === undefined) return '';
  const risk = `,"user_risk":${JSON.stringify(json.userRisk)},"user_flagged":${JSON.stringify(json.userFlagged ?? null)}`;
  return json.rollout ? `${risk},"rollout":${JSON.stringify(json.rollout)}` : risk;
}

/** Each key field's path split at its dots, once per list of key fields (a sink's: the same every event). */
const splitPaths = new WeakMap<readonly string[], string[][]>();
function pathsOf(fields: readonly string[]): string[][] {
  let paths = splitPaths.get(fields);
  if (!paths) splitPaths.set(fields, (paths = fields.map((f) => f.split('.'))));
  return paths;
}

/** Sets a dotted path (split at its dots) in a nested object, creating objects on the way; a non-object in the way wins. */
function setPath(doc: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    const next = node[p];
    if (next === undefined) node[p] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) return;
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}
