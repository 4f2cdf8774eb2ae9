import type { SourceRef } from '../types';

/**
 * Bad input, counted and remembered: every problem is kept as a count per kind and the first few
 * examples with file and line, so a summary can say what was wrong and where without flooding.
 * Every kind keeps at least its first example, even past the cap, so a rare kind is never hidden
 * by a common one.
 */
export class InputReport {
  private readonly counts = new Map<string, number>();
  readonly examples: string[] = [];
  /** The kind of each example. */
  private readonly exampleKinds: string[] = [];

  constructor(private readonly maxExamples = 20) {}

  add(kind: string, message: string, source?: SourceRef): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    this.keepExample(kind, source ? `${source.file}:${source.line}: ${message}` : message);
  }

  /** Counts one more of a kind already described by an example, without another example. */
  tally(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  /** Adds another report's counts and examples (e.g. what the reader found to what the job found). */
  merge(other: InputReport): void {
    for (const [kind, n] of other.counts) this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
    other.examples.forEach((example, i) => this.keepExample(other.exampleKinds[i], example));
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  byKind(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  private keepExample(kind: string, example: string): void {
    if (this.examples.length < this.maxExamples || !this.exampleKinds.includes(kind)) {
      this.examples.push(example);
      this.exampleKinds.push(kind);
    }
  }
}
