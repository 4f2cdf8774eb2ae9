import { columnsFor, type ScoringTable } from '../features/columns';
import type { BufferPool } from './buffer_pool';
import { featuresBuilder, type FeaturesBuilder } from './dfp_features';
import type { ChunkDocs, ChunkScores, DocOptions, LaneUsers, SchemaInfo } from './lane_numbers';
import { fallbackReason, rowDfp, type RowReads } from './row_dfp';
import { firstSeenEvidence, volumeZ } from '../score/risk_evidence';
import { novelTargets } from '../score/shared_novelty';
import type { EncodedDfp } from '../io/es/sink_body';

/**
 * An Elasticsearch run's `dfp` objects, built and serialised where the lane scored them (a scoring
 * worker): the writing thread then copies bytes into bulk bodies instead of building two dozen
 * objects an event and stringifying them, which (with the garbage it made) was most of its time.
 * The objects are rowDfp's, as file scoring builds them, so the JSON is what JSON.stringify of the
 * writing thread's object gave.
 */
export interface ChunkDocsInput {
  /** The lane's table: the chunk is its rows `base` … `base + chunk length − 1`. */
  table: ScoringTable;
  base: number;
  /** Per table row: its lane user. */
  rowUser: Int32Array;
  users: LaneUsers;
  /** Per lane user: the name their events are scored for (dfp.user). */
  names: readonly string[];
  /** The lane's predicted categories, every one met so far. */
  strings: readonly string[];
  chunk: ChunkScores;
  /** The chunk's rows. */
  n: number;
  opts: DocOptions & { topFeatures: number };
}

/** Bytes a document takes on average (a guess to start from: the buffer grows when short). */
const BYTES_PER_DOC = 1536;

/** The chunk's rows' `dfp` objects as JSON, less each one's closing brace (ChunkDocs). */
export function encodeChunkDocs(input: ChunkDocsInput, buffers: BufferPool): ChunkDocs {
  const { table, base, rowUser, users, names, strings, chunk, n, opts } = input;
  const coded = table.columns.map((c) => c.coded);
  const bySchema = new Map<SchemaInfo, { build: FeaturesBuilder }>();
  const reads: (RowReads | null | undefined)[] = [];
  /** How lane user u's rows read; null when no model scores them. */
  const readsOf = (u: number): RowReads | null => {
    let r = reads[u];
    if (r !== undefined) return r;
    const at = users.users[u];
    if (at.model < 0) return (reads[u] = null);
    const model = users.models[at.model];
    const schema = users.schemas[model.schema];
    let b = bySchema.get(schema);
    if (!b) {
      const columns = columnsFor(table.schema, schema) ?? Int32Array.from(schema.names, (_, c) => c);
      b = { build: featuresBuilder(schema.names, schema.kinds, columns, coded) };
      bySchema.set(schema, b);
    }
    r = { model, schema, build: b.build, ...(at.ownProblem !== undefined ? { fallbackReason: fallbackReason(at.ownProblem) } : {}) };
    return (reads[u] = r);
  };

  const at = buffers.take(Int32Array, n + 1);
  let bytes = buffers.take(Uint8Array, Math.max(4096, n * BYTES_PER_DOC));
  let out = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let pos = 0;
  const firstSeen = opts.firstSeen ? new Float64Array(n) : undefined;
  const volume = new Float64Array(n);
  const novel: { row: number; targets: ReturnType<typeof novelTargets> }[] | undefined = opts.sharedNovelty ? [] : undefined;
  for (let i = 0; i < n; i++) {
    at[i] = pos;
    const row = base + i;
    const u = rowUser[row];
    const r = readsOf(u);
    if (!r) continue;
    const dfp = rowDfp(names[u], r, strings, chunk, i, table.columns, row, opts);
    if (firstSeen) firstSeen[i] = firstSeenEvidence(dfp, opts.firstSeen);
    volume[i] = volumeZ(dfp.features);
    if (novel) {
      const targets = novelTargets(dfp.features, opts.sharedNovelty);
      if (targets.length > 0) novel.push({ row: i, targets });
    }
    const json = JSON.stringify(dfp);
    // At most 3 bytes of UTF-8 per UTF-16 unit: room for the worst case, so a write is never cut short.
    if (pos + 3 * json.length > bytes.length) {
      const bigger = buffers.take(Uint8Array, Math.max(pos + 3 * json.length, Math.ceil(bytes.length * 1.5)));
      bigger.set(bytes.subarray(0, pos));
      buffers.give([bytes.buffer as ArrayBuffer]);
      bytes = bigger;
      out = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    pos += out.write(json, pos, 'utf8') - 1; // less the closing brace (one byte)
  }
  at[n] = pos;
  return { bytes: bytes.subarray(0, pos), at, volumeZ: volume, ...(firstSeen ? { firstSeen } : {}), ...(novel ? { novel } : {}) };
}

const ZSCORE_KEY = Buffer.from('"zscore":');
const THRESHOLD_KEY = Buffer.from(',"threshold":');

/**
 * A lane's serialised `dfp` with dfp.zscore and dfp.is_anomaly rewritten, for the rare event whose
 * new target is a rollout (EventRisk.apply lowers them on the writing thread, after the lane wrote
 * the JSON): the bytes between `"zscore":` and `,"threshold":` are replaced. The first `"zscore":`
 * is the dfp's own: assembleDfp writes only user, anomaly_score and max_abs_z before it, and within
 * a JSON string every quote is escaped.
 */
export function withZscore(row: EncodedDfp, zscore: number, isAnomaly: boolean): void {
  const json = Buffer.from(row.bytes.buffer, row.bytes.byteOffset + row.start, row.end - row.start);
  const key = json.indexOf(ZSCORE_KEY);
  const next = key < 0 ? -1 : json.indexOf(THRESHOLD_KEY, key);
  if (next < 0) throw new Error('a lane\'s dfp JSON without "zscore" before "threshold"');
  const value = Buffer.from(`${JSON.stringify(zscore)},"is_anomaly":${isAnomaly}`);
  row.bytes = Buffer.concat([json.subarray(0, key + ZSCORE_KEY.length), value, json.subarray(next)]);
  row.start = 0;
  row.end = row.bytes.length;
  row.zscore = zscore;
}
