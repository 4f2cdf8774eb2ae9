import type { Encoding, Layout } from '../features/encoding';

/** What the model expected for a feature: a category, a number, or a boolean. */
export type Prediction = string | number | boolean | null;

/** Decodes one row of raw network outputs into per-feature predictions (schema column order). */
export function predictionsOf(enc: Encoding, layout: Layout, outputs: Float32Array, row: number): Prediction[] {
  const base = row * layout.width;
  const preds: Prediction[] = new Array(enc.columns.length).fill(null);
  for (const b of layout.cat) {
    let best = 0;
    for (let k = 1; k < b.size; k++) if (outputs[base + b.offset + k] > outputs[base + b.offset + best]) best = k;
    const col = enc.columns[b.column];
    if (col.kind === 'categorical') preds[b.column] = col.vocab[best];
  }
  for (const b of layout.num) {
    const col = enc.columns[b.column];
    if (col.kind === 'numeric') preds[b.column] = Number((outputs[base + b.offset] * col.std + col.mean).toFixed(4));
  }
  for (const b of layout.bin) preds[b.column] = outputs[base + b.offset] > 0;
  return preds;
}
