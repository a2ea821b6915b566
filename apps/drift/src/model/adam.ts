/** Adam exactly as torch.optim.Adam (β = (0.9, 0.999), ε = 1e-8, no weight decay) over one flat parameter array. */
export interface AdamState {
  step: number;
  m: number[];
  v: number[];
}

export class Adam {
  step = 0;
  readonly m: Float64Array;
  readonly v: Float64Array;

  constructor(
    readonly size: number,
    readonly lr: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    if (!(lr > 0)) throw new RangeError(`Adam.lr: expected > 0, got ${lr}`);
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** θ ← θ − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε), torch's formulation. */
  update(params: Float64Array, grads: Float64Array): void {
    this.step++;
    const { beta1: b1, beta2: b2, eps, m, v } = this;
    const stepSize = this.lr / (1 - b1 ** this.step);
    const bc2Sqrt = Math.sqrt(1 - b2 ** this.step);
    const a1 = 1 - b1;
    const a2 = 1 - b2;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      const mi = b1 * m[i] + a1 * g;
      const vi = b2 * v[i] + a2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  }

  getState(): AdamState {
    return { step: this.step, m: Array.from(this.m), v: Array.from(this.v) };
  }

  setState(s: AdamState): void {
    if (s.m.length !== this.size || s.v.length !== this.size) throw new RangeError(`Adam state: expected ${this.size} moments, got m=${s.m.length}, v=${s.v.length}`);
    this.step = s.step;
    this.m.set(s.m);
    this.v.set(s.v);
  }
}
