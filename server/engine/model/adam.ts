/**
 * Adam over plain Float32Arrays, one fused pass per parameter array: the update tf.train.adam
 * makes (same defaults, same bias correction), without its ~14 tensor ops per variable, each
 * reading and writing the whole array. Used by the tensor stack program (stack_tensor_program.ts);
 * the kernel program runs the same update in wasm/assembly/train_kernels.ts, tested against this.
 */
export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private step = 0;

  constructor(
    private readonly params: Float32Array[],
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    // tf.train.adam's default: the float32 backend's epsilon.
    private readonly epsilon = 1e-7,
  ) {
    this.m = params.map((p) => new Float32Array(p.length));
    this.v = params.map((p) => new Float32Array(p.length));
  }

  /** One update; grads[i] matches params[i]. */
  apply(grads: Float32Array[]): void {
    this.step += 1;
    for (let i = 0; i < this.params.length; i++) update(this.params[i], grads[i], this.m[i], this.v[i], this.step, this.learningRate, this.beta1, this.beta2, this.epsilon);
  }
}

function update(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, step: number, lr: number, b1: number, b2: number, eps: number): void {
  const c1 = 1 / (1 - b1 ** step);
  const c2 = 1 / (1 - b2 ** step);
  const a1 = 1 - b1;
  const a2 = 1 - b2;
  for (let k = 0; k < p.length; k++) {
    const gk = g[k];
    const mk = b1 * m[k] + a1 * gk;
    const vk = b2 * v[k] + a2 * gk * gk;
    m[k] = mk;
    v[k] = vk;
    p[k] -= (lr * mk * c1) / (Math.sqrt(vk * c2) + eps);
  }
}
