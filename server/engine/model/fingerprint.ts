import { checksumMatches, checksumOfBody } from './checksum';
import { summarizeFeatures, type FeatureSummary } from '../features/summary';
import type { FeatureValue } from '../features/extract';
import type { FeatureSchema, SchemaTravel } from '../features/frame';
import {
  encodeRows,
  fitEncoding,
  layoutOf,
  DEFAULT_ENCODING_OPTIONS,
  type Encoding,
  type EncodingOptions,
  type Layout,
} from '../features/encoding';
import { featureZ, fitLossStats, fitScoreScale, userZ, type LossStats, type ScoreScale } from '../score/zscore';
import { Autoencoder, initialWeights, type AutoencoderConfig, type DenseWeights } from './autoencoder';
import { planStacks, trainStack } from './stacked_training';
import { predictionsOf, type Prediction } from './predictions';
import { fitHistory, type UserHistory } from './history';
import { historyEvidence, raiseByHistory, type HistoryEvidence } from '../score/history_evidence';
import type { LeftOut } from './left_out';

export const FINGERPRINT_FORMAT = 'dfp-fingerprint/1';

/** Everything needed to score with one user's (or the generic) fingerprint, as stored. */
export interface FingerprintJson {
  format: typeof FINGERPRINT_FORMAT;
  profile: string;
  /** The user key value, or null for the generic model. */
  user: string | null;
  generic: boolean;
  version: number;
  trainedAt: string;
  backend: string;
  schema: FeatureSchema;
  encoding: Encoding;
  config: AutoencoderConfig;
  weights: { inDim: number; outDim: number; w: string; b: string }[];
  lossStats: LossStats;
  scoreScale: ScoreScale;
  training: {
    rows: number;
    start: string;
    end: string;
    epochs: number;
    lossHistory: number[];
    warmStartFrom?: string;
    /** Events an earlier run's fields kept out of training, and why (jobs/left_out.ts); absent when none were. */
    leftOut?: LeftOut;
  };
  /** What the training rows held, feature by feature (absent in models made before it existed). */
  summary?: FeatureSummary[];
  /** The user's own value counts, first/last seen and hours in the window (model/history.ts); absent in older and generic models. */
  history?: UserHistory;
  /** sha256 of everything above; verified on load. */
  checksum: string;
}

export interface TrainInput {
  profile: string;
  user: string | null;
  schema: FeatureSchema;
  rows: FeatureValue[][];
  times: number[];
  config: AutoencoderConfig;
  backend: string;
  version: number;
  encodingOptions?: EncodingOptions;
  /** Start from these weights where the shapes allow (a short-history user from the generic model). */
  warmStart?: Fingerprint;
  /** The user's events left out of training (kept in the model's training record). */
  leftOut?: LeftOut;
}

/** One row's result: per-feature z (schema order), the two aggregates and the calibrated z-score. */
export interface RowScore {
  anomalyScore: number;
  maxAbsZ: number;
  zscore: number;
  z: Float64Array;
  predictions: Prediction[];
}

/** A trained fingerprint, ready to score. Call dispose() when done: it holds backend memory. */
export class Fingerprint {
  readonly layout: Layout;

  /** The history's evidence tables (null: a model without history). */
  private readonly fromHistory: HistoryEvidence | null;

  private constructor(readonly json: FingerprintJson, private readonly net: Autoencoder) {
    this.layout = net.layout;
    this.fromHistory = historyEvidence(json);
  }

  /** Trains one fingerprint on its own (one network, one step at a time). */
  static train(input: TrainInput, onEpoch?: (epoch: number) => void): Fingerprint {
    const prepared = prepare(input);
    const net = Autoencoder.fromWeights(prepared.layout, prepared.init);
    const lossHistory = net.train(prepared.x, prepared.rows, input.config, onEpoch);
    return Fingerprint.finish(input, prepared, net, lossHistory);
  }

  /**
   * Trains many fingerprints with stacked networks (model/stacked_training.ts): the same result
   * for each as `train` gives it alone, at a fraction of the cost per user. Inputs must share one
   * schema and config. `onTrained` hears each fingerprint as its stack finishes; the fingerprints
   * are returned in input order (dispose them).
   */
  static trainMany(inputs: TrainInput[], opts: { maxStack?: number; onTrained?: (index: number, fp: Fingerprint) => void } = {}): Fingerprint[] {
    const out: Fingerprint[] = new Array(inputs.length);
    if (inputs.length === 0) return out;
    const config = inputs[0].config;
    const prepared = inputs.map(prepare);
    const stacks = planStacks(prepared.map((p) => ({ rows: p.rows, width: p.layout.width })), config, opts.maxStack);
    for (const stack of stacks) {
      const members = stack.map((i) => ({ layout: prepared[i].layout, clean: prepared[i].x, rows: prepared[i].rows, init: prepared[i].init }));
      const results = trainStack(members, config);
      stack.forEach((i, k) => {
        const net = Autoencoder.fromWeights(prepared[i].layout, results[k].weights);
        out[i] = Fingerprint.finish(inputs[i], prepared[i], net, results[k].lossHistory);
        opts.onTrained?.(i, out[i]);
      });
    }
    return out;
  }

  /** Calibration on the training rows (loss statistics, score scale) and the stored form. */
  private static finish(input: TrainInput, prepared: Prepared, net: Autoencoder, lossHistory: number[]): Fingerprint {
    const { encoding, layout, x, rows: n } = prepared;
    const losses = toSchemaOrder(net.evaluate(x, n).losses, n, layout);
    const lossStats = fitLossStats(losses, n, input.schema.kinds);
    // The generic model's rows are many users': no one's history.
    const history = input.user !== null ? fitHistory(input.schema, encoding, input.rows, input.times) : undefined;
    // Calibrated on what scoring computes: the autoencoder's z raised by the history's, each
    // training row's own value counted out of the history (see historyEvidence).
    const fromHistory = historyEvidence({ encoding, history }, true);
    const parts = new RowParts(layout);
    const z = new Float64Array(input.schema.names.length);
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      featureZ(losses, i, lossStats, z);
      if (fromHistory) parts.raise(fromHistory, x, i, z);
      scores[i] = evidence(z, input.schema.groups, input.schema.travel) * weightOf(input.rows[i], input.schema);
    }
    const [first, last] = timeRange(input.times);
    const body: Omit<FingerprintJson, 'checksum'> = {
      format: FINGERPRINT_FORMAT,
      profile: input.profile,
      user: input.user,
      generic: input.user === null,
      version: input.version,
      trainedAt: new Date().toISOString(),
      backend: input.backend,
      schema: input.schema,
      encoding,
      config: input.config,
      weights: net.weights().map(toStoredWeights),
      lossStats,
      scoreScale: fitScoreScale(scores),
      training: {
        rows: n,
        start: new Date(first).toISOString(),
        end: new Date(last).toISOString(),
        epochs: input.config.epochs,
        lossHistory: lossHistory.map((l) => Number(l.toFixed(6))),
        ...(input.warmStart ? { warmStartFrom: `generic@${input.warmStart.json.version}` } : {}),
        ...(input.leftOut ? { leftOut: input.leftOut } : {}),
      },
      summary: summarizeFeatures(input.schema, input.rows),
      ...(history ? { history } : {}),
    };
    return new Fingerprint({ ...body, checksum: checksumOf(body) }, net);
  }

  /** Loads a stored fingerprint; refuses one whose checksum does not match its contents. */
  static fromJson(json: FingerprintJson): Fingerprint {
    if (json.format !== FINGERPRINT_FORMAT) throw new Error(`unsupported model format "${json.format}"`);
    if (!checksumMatches(json)) {
      throw new Error(`model checksum mismatch for ${json.user ?? 'generic'} v${json.version}: the file is corrupt`);
    }
    const layout = layoutOf(json.encoding);
    return new Fingerprint(json, Autoencoder.fromWeights(layout, json.weights.map(fromStoredWeights)));
  }

  /** Scores rows (schema column order, raw values) against this fingerprint. */
  score(rows: FeatureValue[][]): RowScore[] {
    const n = rows.length;
    if (n === 0) return [];
    const x = encodeRows(this.json.encoding, this.layout, rows);
    const { losses: raw, outputs } = this.net.evaluate(x, n);
    const losses = toSchemaOrder(raw, n, this.layout);
    const f = this.json.schema.names.length;
    const parts = new RowParts(this.layout);
    const result: RowScore[] = [];
    for (let i = 0; i < n; i++) {
      const z = new Float64Array(f);
      featureZ(losses, i, this.json.lossStats, z);
      if (this.fromHistory) parts.raise(this.fromHistory, x, i, z);
      result.push({
        anomalyScore: mean(z),
        maxAbsZ: Math.max(...z),
        zscore: userZ(evidence(z, this.json.schema.groups, this.json.schema.travel) * weightOf(rows[i], this.json.schema), this.json.scoreScale),
        z,
        predictions: predictionsOf(this.json.encoding, this.layout, outputs, i),
      });
    }
    return result;
  }

  dispose(): void {
    this.net.dispose();
  }
}

interface Prepared {
  encoding: Encoding;
  layout: Layout;
  /** [rows × layout.width] encoded training rows. */
  x: Float32Array;
  rows: number;
  init: DenseWeights[];
}

/** What training starts from: the encoding fitted on the rows, the encoded rows, initial weights. */
function prepare(input: TrainInput): Prepared {
  const encoding = fitEncoding(input.schema, input.rows, input.encodingOptions ?? DEFAULT_ENCODING_OPTIONS);
  const layout = layoutOf(encoding);
  const x = encodeRows(encoding, layout, input.rows);
  const init = input.warmStart
    ? warmStartWeights(input.warmStart, encoding, layout, input.config)
    : initialWeights(layout, input.config);
  return { encoding, layout, x, rows: input.rows.length, init };
}

/** An encoded row's categorical slots and numeric inputs, as the history's evidence reads them. */
class RowParts {
  private readonly hot: Int32Array;
  private readonly numbers: Float32Array;

  constructor(private readonly layout: Layout) {
    this.hot = new Int32Array(layout.cat.length);
    this.numbers = new Float32Array(layout.num.length);
  }

  /** raiseByHistory over row `i` of encoded rows `x`. */
  raise(ev: HistoryEvidence, x: Float32Array, i: number, z: Float64Array): void {
    const { width, cat, num } = this.layout;
    const base = i * width;
    for (let b = 0; b < cat.length; b++) {
      const from = base + cat[b].offset;
      let slot = 0;
      while (slot < cat[b].size - 1 && x[from + slot] !== 1) slot++;
      this.hot[b] = slot;
    }
    for (let k = 0; k < num.length; k++) this.numbers[k] = x[base + num[k].offset];
    raiseByHistory(ev, this.layout, z, 0, this.hot, 0, this.numbers, 0);
  }
}

/** Earliest and latest time (a loop: spreading a busy service account's rows overflows the stack). */
function timeRange(times: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return [lo, hi];
}

/** Per-feature losses come out categorical-first (layout.lossOrder); put them in schema order. */
function toSchemaOrder(losses: Float32Array, rows: number, layout: Layout): Float32Array {
  const f = layout.lossOrder.length;
  const out = new Float32Array(rows * f);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < f; k++) out[i * f + layout.lossOrder[k]] = losses[i * f + k];
  }
  return out;
}

/**
 * Initial weights for a short-history user taken from the generic model: hidden layers as they
 * are, and for the input and output layers the generic's row/column of the same category value
 * (a value the generic model never kept starts from its `_other` slot).
 */
function warmStartWeights(from: Fingerprint, encoding: Encoding, layout: Layout, config: AutoencoderConfig): DenseWeights[] {
  const source = from.json.weights.map(fromStoredWeights);
  const hidden = [...config.encoderLayers, ...config.decoderLayers];
  const sourceHidden = source.slice(0, -1).map((l) => l.outDim);
  if (hidden.join(',') !== sourceHidden.join(',')) {
    throw new Error(`cannot warm-start: generic model layers ${sourceHidden} differ from ${hidden}`);
  }
  const slotMap = mapSlots(from.json.encoding, from.layout, encoding, layout);
  const first = source[0];
  const last = source[source.length - 1];
  const inLayer: DenseWeights = { inDim: layout.width, outDim: first.outDim, w: new Float32Array(layout.width * first.outDim), b: first.b };
  for (let s = 0; s < layout.width; s++) {
    const g = slotMap[s];
    inLayer.w.set(first.w.subarray(g * first.outDim, (g + 1) * first.outDim), s * first.outDim);
  }
  const outLayer: DenseWeights = { inDim: last.inDim, outDim: layout.width, w: new Float32Array(last.inDim * layout.width), b: new Float32Array(layout.width) };
  for (let s = 0; s < layout.width; s++) {
    const g = slotMap[s];
    outLayer.b[s] = last.b[g];
    for (let r = 0; r < last.inDim; r++) outLayer.w[r * layout.width + s] = last.w[r * last.outDim + g];
  }
  return [inLayer, ...source.slice(1, -1), outLayer];
}

/** For each slot of the user's layout, the generic layout's slot holding the same column and value. */
function mapSlots(genEnc: Encoding, genLayout: Layout, enc: Encoding, layout: Layout): Int32Array {
  const map = new Int32Array(layout.width);
  const genCat = new Map(genLayout.cat.map((b) => [genEnc.columns[b.column].name, b]));
  const genScalar = new Map(
    [...genLayout.num, ...genLayout.bin].map((b) => [genEnc.columns[b.column].name, b.offset]),
  );
  for (const b of layout.cat) {
    const col = enc.columns[b.column];
    const g = genCat.get(col.name);
    const genVocab = g ? (genEnc.columns[g.column] as { vocab: string[] }).vocab : [];
    const vocab = col.kind === 'categorical' ? col.vocab : [];
    vocab.forEach((value, k) => {
      const gk = genVocab.indexOf(value);
      map[b.offset + k] = g ? g.offset + (gk >= 0 ? gk : 1) : 0;
    });
  }
  for (const b of [...layout.num, ...layout.bin]) map[b.offset] = genScalar.get(enc.columns[b.column].name) ?? 0;
  return map;
}

function toStoredWeights(l: DenseWeights): FingerprintJson['weights'][number] {
  return { inDim: l.inDim, outDim: l.outDim, w: toBase64(l.w), b: toBase64(l.b) };
}

function fromStoredWeights(l: FingerprintJson['weights'][number]): DenseWeights {
  return { inDim: l.inDim, outDim: l.outDim, w: fromBase64(l.w), b: fromBase64(l.b) };
}

function toBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function checksumOf(body: Omit<FingerprintJson, 'checksum'>): string {
  return checksumOfBody(body);
}

/** How much a row's evidence counts (FeatureSchema.discount: e.g. failed sign-ins count half). */
export function weightOf(row: FeatureValue[], schema: FeatureSchema): number {
  const d = schema.discount;
  return d && d.values.includes(String(row[d.column])) ? d.weight : 1;
}

/** dfp.anomaly_score as the field contract defines it: the mean of the per-feature z. */
export function mean(z: Float64Array): number {
  let s = 0;
  for (const v of z) s += v;
  return z.length > 0 ? s / z.length : 0;
}

/**
 * The evidence dfp.zscore is calibrated on: each group of features that move together counts
 * once, by its largest z, and each group's contribution grows as √z, so three moderately unusual
 * aspects (network, device, hour) outweigh one aspect that is new but alone (a new phone).
 * Measured on generated data with benign drift, √ raised the user ROC AUC over the plain mean.
 * With `travel` (Profile.travel), the place's group weighs less while the device's is familiar.
 */
export function evidence(z: Float64Array, groups: number[][] | undefined, travel?: SchemaTravel): number {
  const units = groups ?? Array.from(z, (_, i) => [i]);
  const rule = groups !== undefined ? usableTravel(travel, units) : undefined;
  const trip = rule !== undefined ? tripOf(z, units, rule) : NO_TRIP;
  let s = 0;
  for (let g = 0; g < units.length; g++) {
    const m = groupMax(z, units[g]);
    s += Math.sqrt(onTrip(rule, trip, g) ? m * rule!.weight : m);
  }
  return s;
}

/**
 * A stored model's travel rule where its groups are all the model's (a model is read from disk or
 * Elasticsearch: a rule naming groups it lacks is ignored, never a crash); else undefined.
 */
export function usableTravel(travel: SchemaTravel | undefined, groups: readonly (readonly number[])[]): SchemaTravel | undefined {
  if (travel === undefined) return undefined;
  const isGroup = (g: unknown): boolean => Number.isInteger(g) && (g as number) >= 0 && (g as number) < groups.length;
  if (!isGroup(travel.place) || !isGroup(travel.device)) return undefined;
  if (travel.explains !== undefined && !(Array.isArray(travel.explains) && travel.explains.every(isGroup))) return undefined;
  return travel;
}

/**
 * A stored model's target group (FeatureSchema.target) where it is one of the model's groups and
 * neither of its travel rule's (whose weights it would bypass); else undefined, as usableTravel.
 */
export function usableTarget(target: unknown, groups: readonly (readonly number[])[], travel: SchemaTravel | undefined): number | undefined {
  if (!Number.isInteger(target) || (target as number) < 0 || (target as number) >= groups.length) return undefined;
  if (travel !== undefined && (target === travel.place || target === travel.device || travel.explains?.includes(target as number))) return undefined;
  return target as number;
}

/** What a row's travel rule says (SchemaTravel): no trip, the user's own device, or that device somewhere new. */
export const NO_TRIP = 0;
const OWN_DEVICE = 1;
const SOMEWHERE_NEW = 2;
export type Trip = typeof NO_TRIP | typeof OWN_DEVICE | typeof SOMEWHERE_NEW;

/** The row's trip (its z from `at` on): the device's group familiar, and whether the place's is new. */
export function tripOf(z: Float64Array, groups: readonly (readonly number[])[], travel: SchemaTravel, at = 0): Trip {
  if (groupMax(z, groups[travel.device], at) > travel.familiarZ) return NO_TRIP;
  return travel.explains !== undefined && groupMax(z, groups[travel.place], at) >= (travel.newPlaceZ ?? 0) ? SOMEWHERE_NEW : OWN_DEVICE;
}

/** Whether group `g` counts at travel.weight on this trip: the place's always, those the trip explains when it went somewhere new. */
export function onTrip(travel: SchemaTravel | undefined, trip: Trip, g: number): boolean {
  if (trip === NO_TRIP || travel === undefined) return false;
  return g === travel.place || (trip === SOMEWHERE_NEW && travel.explains!.includes(g));
}

/** The largest z of a group's columns (0 for none). */
export function groupMax(z: Float64Array, group: readonly number[], at = 0): number {
  let m = 0;
  for (const c of group) m = Math.max(m, z[at + c]);
  return m;
}
