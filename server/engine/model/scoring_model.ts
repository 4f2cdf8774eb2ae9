import { layoutOf, type ColumnEncoding, type Layout } from '../features/encoding';
import type { SchemaTravel } from '../features/frame';
import type { ScoreScale } from '../score/zscore';
import { checksumMatches } from './checksum';
import { FINGERPRINT_FORMAT, usableTarget, usableTravel, type FingerprintJson } from './fingerprint';
import { historyEvidence, type HistoryEvidence } from '../score/history_evidence';

/** One dense layer inside `ScoringModel.packed`: W at `w` ([k × n4]), then b at `b` ([n4]). */
export interface PackedLayer {
  /** Input width as stored (the previous layer's n4, or the encoded width for the first). */
  k: number;
  /** Real output width. */
  n: number;
  /** Output width padded to a multiple of 4 for the SIMD kernel; extra columns are zero. */
  n4: number;
  w: number;
  b: number;
}

/** What a scoring model keeps of its stored form: everything but the weights and the training summary. */
export type ScoringModelInfo = Omit<FingerprintJson, 'weights' | 'summary'>;

/**
 * A stored fingerprint prepared for scoring many rows fast: checksum verified, weights decoded
 * once into the dense kernel's padded layout, the encoding's lookups built. It holds no tensors,
 * so there is nothing to dispose; `Fingerprint` stays the training-side class (and the reference
 * the fast path is tested against).
 */
export class ScoringModel {
  readonly layout: Layout;
  readonly layers: PackedLayer[];
  /** Every layer's W and b, back to back (see PackedLayer). */
  readonly packed: Float32Array;
  /** Floats one output row takes (the last layer's n4). */
  readonly outStride: number;
  /** Per column: categorical value → slot, or null for numeric and binary columns. */
  readonly slotOf: (Map<string, number> | null)[];
  readonly columns: ColumnEncoding[];
  readonly lossMean: number[];
  readonly lossStd: number[];
  /** Column groups of the evidence (FeatureSchema.groups; one group per column when absent). */
  readonly groups: number[][];
  /** FeatureSchema.travel where its device group exists (as fingerprint.evidence reads it). */
  readonly travel: SchemaTravel | undefined;
  /** FeatureSchema.target where usable: the group a rollout's event is scored without (BatchScores.zShared). */
  readonly target: number | undefined;
  readonly scale: ScoreScale;
  /** Per schema column: its block among `layout.cat` (−1: not categorical). */
  readonly blockOf: Int32Array;
  /** The user's history as evidence (null: a model without history, such as the generic one). */
  readonly fromHistory: HistoryEvidence | null;

  /**
   * The stored model less its weights (decoded into `packed`): the base64 strings are most of a
   * model's size, and dropping them at once lets them die young instead of filling the old heap.
   */
  readonly json: ScoringModelInfo;

  private constructor(stored: FingerprintJson) {
    const { weights: _weights, summary: _summary, ...json } = stored;
    this.json = json;
    this.columns = json.encoding.columns;
    this.layout = layoutOf(json.encoding);
    const features = json.schema.names.length;
    if (this.columns.length !== features || json.lossStats.mean.length !== features || json.lossStats.std.length !== features) {
      throw new Error(`model for ${json.user ?? 'generic'} v${json.version} is inconsistent: ${features} features, ${this.columns.length} encoded columns, ${json.lossStats.mean.length} loss statistics`);
    }
    ({ layers: this.layers, packed: this.packed } = packWeights(stored, this.layout.width));
    this.outStride = this.layers[this.layers.length - 1].n4;
    this.slotOf = this.columns.map((col) => (col.kind === 'categorical' ? slots(col.vocab) : null));
    this.lossMean = json.lossStats.mean;
    this.lossStd = json.lossStats.std;
    this.groups = json.schema.groups ?? json.schema.names.map((_, i) => [i]);
    this.travel = json.schema.groups !== undefined ? usableTravel(json.schema.travel, this.groups) : undefined;
    this.target = json.schema.groups !== undefined ? usableTarget(json.schema.target, this.groups, this.travel) : undefined;
    this.scale = json.scoreScale;
    this.fromHistory = historyEvidence(json);
    this.blockOf = new Int32Array(features).fill(-1);
    this.layout.cat.forEach((b, k) => (this.blockOf[b.column] = k));
  }

  /** Loads a stored fingerprint; refuses one whose checksum does not match its contents (as Fingerprint.fromJson). */
  static fromJson(json: FingerprintJson): ScoringModel {
    ScoringModel.verify(json);
    return new ScoringModel(json);
  }

  /** fromJson's checks without decoding: throws as fromJson does for an unknown format or a corrupt model. */
  static verify(json: FingerprintJson): void {
    if (json.format !== FINGERPRINT_FORMAT) throw new Error(`unsupported model format "${json.format}"`);
    if (!checksumMatches(json)) {
      throw new Error(`model checksum mismatch for ${json.user ?? 'generic'} v${json.version}: the file is corrupt`);
    }
  }
}

/** value → slot, as encodeRows looks values up (a later duplicate wins, as the Map constructor has it). */
function slots(vocab: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < vocab.length; i++) m.set(vocab[i], i);
  return m;
}

/** Decodes the stored base64 weights into one array laid out for the dense kernel. */
function packWeights(json: FingerprintJson, width: number): { layers: PackedLayer[]; packed: Float32Array } {
  const stored = json.weights;
  const who = `${json.user ?? 'generic'} v${json.version}`;
  if (stored.length === 0) throw new Error(`model ${who} has no layers`);
  const layers: PackedLayer[] = [];
  let at = 0;
  let k = width;
  let inDim = width;
  for (const l of stored) {
    if (l.inDim !== inDim) throw new Error(`model ${who}: a layer takes ${l.inDim} inputs where ${inDim} come in`);
    const n4 = Math.ceil(l.outDim / 4) * 4;
    layers.push({ k, n: l.outDim, n4, w: at, b: at + k * n4 });
    at += k * n4 + n4;
    k = n4;
    inDim = l.outDim;
  }
  if (inDim !== width) throw new Error(`model ${who}: the last layer gives ${inDim} outputs for ${width} encoded inputs`);
  const packed = new Float32Array(at);
  stored.forEach((l, i) => {
    const { w, b, n, n4 } = layers[i];
    const wv = decodeFloats(l.w, l.inDim * l.outDim, who);
    for (let r = 0; r < l.inDim; r++) packed.set(wv.subarray(r * n, (r + 1) * n), w + r * n4);
    packed.set(decodeFloats(l.b, l.outDim, who), b);
  });
  return { layers, packed };
}

function decodeFloats(base64: string, expected: number, who: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.byteLength !== expected * 4) {
    throw new Error(`model ${who}: a weight array holds ${bytes.byteLength / 4} values where ${expected} are expected`);
  }
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, expected);
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
