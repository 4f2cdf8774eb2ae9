import type { SourceRef } from '../types';

/**
 * Bad input, counted and remembered: every problem is kept as a count per kind and the first few
 * examples with file and line, so a summary can say what was wrong and where without flooding.
 */
export class InputReport {
  private readonly counts = new Map<string, number>();
  readonly examples: string[] = [];

  constructor(private readonly maxExamples = 20) {}

  add(kind: string, message: string, source?: SourceRef): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    if (this.examples.length < this.maxExamples) {
      this.examples.push(source ? `${source.file}:${source.line}: ${message}` : message);
    }
  }

  /** Counts one more of a kind already described by an example, without another example. */
  tally(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  byKind(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
