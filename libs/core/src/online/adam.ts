import { MoeInputError } from '../errors/moe-error.js';
import { checkInt, checkNumber } from '../routers/validate.js';

/** An {@link Adam}'s JSON-compatible state: step count and both moment vectors. */
export interface AdamState {
  step: number;
  m: number[];
  v: number[];
}

/**
 * Adam exactly as torch.optim.Adam (β = (0.9, 0.999), ε = 1e-8, no weight decay) over one flat float64
 * parameter array, for the CPU-side online routers (no tensors: a stream learner steps it per instance or
 * per small batch, where a tensor round trip would cost more than the arithmetic).
 */
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
    checkInt('Adam', 'size', size, 0);
    checkNumber('Adam', 'lr', lr, 0, Infinity, true);
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
    if (s.m.length !== this.size || s.v.length !== this.size) {
      throw new MoeInputError('invalid_weights', 'Adam', `Adam: state must hold ${this.size} moments; got m=${s.m.length}, v=${s.v.length}`, s.m.length !== this.size ? 'm' : 'v');
    }
    this.step = s.step;
    this.m.set(s.m);
    this.v.set(s.v);
  }
}
