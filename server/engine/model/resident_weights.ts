import type { DenseKernel } from './simd_dense';
import type { ScoringModel } from './scoring_model';

/**
 * Models' weights kept in the kernel's memory from job to job (a job copied its model's ~100 kB
 * there each time, and a run has a job per user and chunk of rows): a region at the start of the
 * memory, filled model after model, started over when full. The rows and layers go after it.
 */
class ResidentWeights {
  private readonly at_ = new WeakMap<ScoringModel, { generation: number; at: number }>();
  private generation = 0;
  private used = 0;
  /** Where the region ends (in floats): the rows' memory starts here. */
  end = RESIDENT_FLOATS;

  /** The offset of the model's weights in `mem` (copied there now if they are not). */
  at(model: ScoringModel, mem: Float32Array): number {
    const kept = this.at_.get(model);
    if (kept && kept.generation === this.generation) return kept.at;
    const size = Math.ceil(model.packed.length / 4) * 4; // each model 16-byte aligned, as the SIMD loads want
    if (this.used + size > this.end) {
      this.generation += 1; // full: start over
      this.used = 0;
    }
    const at = this.used;
    mem.set(model.packed, at);
    this.used += size;
    this.at_.set(model, { generation: this.generation, at });
    return at;
  }

  /** Makes the region big enough for `model` alone (a model wider than any before); forgets what it held. */
  fit(model: ScoringModel): void {
    const size = Math.ceil(model.packed.length / 4) * 4;
    if (size <= this.end) return;
    this.end = size;
    this.generation += 1;
    this.used = 0;
  }
}

/** The weights region: 16 MB, a few hundred models of the default architecture. */
const RESIDENT_FLOATS = 4 << 20;
const resident = new WeakMap<DenseKernel, ResidentWeights>();

export function residentWeights(kernel: DenseKernel, model: ScoringModel): ResidentWeights {
  let r = resident.get(kernel);
  if (!r) resident.set(kernel, (r = new ResidentWeights()));
  r.fit(model);
  return r;
}
