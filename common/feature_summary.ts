/** A feature's distribution (a user's training rows, or recent events), as the app shows it. */
export type FeatureSummary =
  | { name: string; kind: 'categorical'; rows: number; nullShare: number; distinct: number; top: { value: string; share: number }[] }
  | { name: string; kind: 'numeric'; rows: number; nullShare: number; mean: number; std: number; p5: number; p50: number; p95: number }
  | { name: string; kind: 'binary'; rows: number; nullShare: number; trueShare: number };

