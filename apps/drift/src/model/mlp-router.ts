import { JavaRandom } from '@moe/stream';
import { Adam, type AdamState } from './adam.js';

/** Activations of one forward pass, kept for the backward pass. */
export interface RouterActivations {
  x: Float64Array;
  /** After ReLU (and dropout, when active). */
  h1: Float64Array;
  h2: Float64Array;
  logits: Float64Array;
  /** Backward scratch (dL/d pre-activation of layers 2 and 1, non-zero indices of dz2); not state. */
  dz2: Float64Array;
  dz1: Float64Array;
  live: Int32Array;
  liveCount: number;
}

export interface MlpRouterOptions {
  inputs: number;
  outputs: number;
  hidden1?: number;
  hidden2?: number;
  /** Dropout after the first hidden layer (torch RouterMLP: 0.2), applied only when `train` is passed to forward. */
  dropout?: number;
  lr?: number;
  seed?: number;
}

export interface MlpRouterState {
  params: number[];
  adam: AdamState;
  random: ReturnType<JavaRandom['getState']>;
}

/**
 * DriftMoE's RouterMLP `Linear(d,256) → ReLU → Dropout → Linear(256,128) → ReLU → Linear(128,E)` on plain
 * Float64Arrays with Xavier-uniform init, BCE-with-logits gradients and Adam. Weights are stored input-major
 * (W[i·out + j]) so that forward and backward skip zero inputs (ReLU zeros, binary LED features).
 * torch's RNG cannot be reproduced, so init and dropout draw from a seeded java.util.Random.
 */
export class MlpRouter {
  readonly d: number;
  readonly h1: number;
  readonly h2: number;
  readonly e: number;
  readonly dropout: number;
  /** All parameters, one flat array (views below), so Adam is one loop. */
  readonly params: Float64Array;
  readonly grads: Float64Array;
  readonly adam: Adam;
  private readonly w1: Float64Array;
  private readonly b1: Float64Array;
  private readonly w2: Float64Array;
  private readonly b2: Float64Array;
  private readonly w3: Float64Array;
  private readonly b3: Float64Array;
  private readonly gw1: Float64Array;
  private readonly gb1: Float64Array;
  private readonly gw2: Float64Array;
  private readonly gb2: Float64Array;
  private readonly gw3: Float64Array;
  private readonly gb3: Float64Array;
  random: JavaRandom;

  constructor(o: MlpRouterOptions) {
    this.d = o.inputs;
    this.h1 = o.hidden1 ?? 256;
    this.h2 = o.hidden2 ?? 128;
    this.e = o.outputs;
    this.dropout = o.dropout ?? 0.2;
    for (const [k, v] of [['inputs', this.d], ['outputs', this.e], ['hidden1', this.h1], ['hidden2', this.h2]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`MlpRouter.${k}: expected a positive integer, got ${v}`);
    }
    const sizes = [this.d * this.h1, this.h1, this.h1 * this.h2, this.h2, this.h2 * this.e, this.e];
    const total = sizes.reduce((a, b) => a + b, 0);
    this.params = new Float64Array(total);
    this.grads = new Float64Array(total);
    const views = (buf: Float64Array) => {
      let off = 0;
      return sizes.map((n) => {
        const v = buf.subarray(off, off + n);
        off += n;
        return v;
      });
    };
    [this.w1, this.b1, this.w2, this.b2, this.w3, this.b3] = views(this.params);
    [this.gw1, this.gb1, this.gw2, this.gb2, this.gw3, this.gb3] = views(this.grads);
    this.random = new JavaRandom(o.seed ?? 1);
    const xavier = (w: Float64Array, fanIn: number, fanOut: number) => {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < w.length; i++) w[i] = (2 * this.random.nextDouble() - 1) * a;
    };
    xavier(this.w1, this.d, this.h1);
    xavier(this.w2, this.h1, this.h2);
    xavier(this.w3, this.h2, this.e);
    this.adam = new Adam(total, o.lr ?? 2e-3);
  }

  newActivations(): RouterActivations {
    return { x: new Float64Array(this.d), h1: new Float64Array(this.h1), h2: new Float64Array(this.h2), logits: new Float64Array(this.e), dz2: new Float64Array(this.h2), dz1: new Float64Array(this.h1), live: new Int32Array(this.h2), liveCount: 0 };
  }

  /** Logits for x into `act` (x copied in; NaN inputs enter as 0). `train` turns dropout on. */
  forward(x: ArrayLike<number>, act: RouterActivations, train = false): Float64Array {
    const { d, h1: n1, h2: n2, e, w1, w2, w3 } = this;
    const { h1, h2, logits } = act;
    const xs = act.x;
    for (let i = 0; i < d; i++) xs[i] = x[i] === x[i] ? x[i] : 0;
    h1.set(this.b1);
    for (let i = 0; i < d; i++) {
      const xi = xs[i];
      if (xi === 0) continue;
      const off = i * n1;
      for (let j = 0; j < n1; j++) h1[j] += xi * w1[off + j];
    }
    const keepScale = 1 / (1 - this.dropout);
    for (let j = 0; j < n1; j++) {
      if (h1[j] < 0) h1[j] = 0;
      else if (train && this.dropout > 0) h1[j] = this.random.nextDouble() < this.dropout ? 0 : h1[j] * keepScale;
    }
    h2.set(this.b2);
    for (let i = 0; i < n1; i++) {
      const a = h1[i];
      if (a === 0) continue;
      const off = i * n2;
      for (let j = 0; j < n2; j++) h2[j] += a * w2[off + j];
    }
    for (let j = 0; j < n2; j++) if (h2[j] < 0) h2[j] = 0;
    logits.set(this.b3);
    for (let i = 0; i < n2; i++) {
      const a = h2[i];
      if (a === 0) continue;
      const off = i * e;
      for (let j = 0; j < e; j++) logits[j] += a * w3[off + j];
    }
    return logits;
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }

  /** Accumulates the gradient of one instance given dL/dlogits (see `accumulateBatch`). */
  accumulate(act: RouterActivations, dLogits: Float64Array, train = false): void {
    this.accumulateBatch([act], [dLogits], 1, train);
  }

  /**
   * Accumulates the gradients of `count` instances (dL/dlogits each). Units zeroed by ReLU or dropout pass no
   * gradient (their activation is 0), which is what lets us skip them; kept dropout units carry the 1/(1−p)
   * scale in their activation, and their incoming gradient gets the same scale. The loops run weight row by
   * weight row over the batch (a row stays in cache) yet add each gradient element's terms in instance order,
   * so the result is bit-identical to accumulating instance by instance; skipped terms are exact zeros.
   */
  accumulateBatch(acts: RouterActivations[], dLogits: Float64Array[], count: number, train = false): void {
    const { d, h1: n1, h2: n2, e, w2, w3, gw1, gw2, gw3, gb1, gb2, gb3 } = this;
    for (let b = 0; b < count; b++) {
      const { h2, dz2, live } = acts[b];
      const dl = dLogits[b];
      for (let j = 0; j < e; j++) gb3[j] += dl[j];
      let nLive = 0;
      for (let i = 0; i < n2; i++) {
        const a = h2[i];
        if (a === 0) {
          dz2[i] = 0;
          continue;
        }
        const off = i * e;
        let s = 0;
        for (let j = 0; j < e; j++) {
          gw3[off + j] += a * dl[j];
          s += w3[off + j] * dl[j];
        }
        dz2[i] = s;
        if (s !== 0) live[nLive++] = i;
      }
      acts[b].liveCount = nLive;
      for (let j = 0; j < n2; j++) gb2[j] += dz2[j];
    }
    const scale = train && this.dropout > 0 ? 1 / (1 - this.dropout) : 1;
    for (let i = 0; i < n1; i++) {
      const off = i * n2;
      for (let b = 0; b < count; b++) {
        const act = acts[b];
        const a = act.h1[i];
        if (a === 0) {
          act.dz1[i] = 0;
          continue;
        }
        const { dz2, live, liveCount } = act;
        let s = 0;
        for (let q = 0; q < liveCount; q++) {
          const j = live[q];
          const g = dz2[j];
          gw2[off + j] += a * g;
          s += w2[off + j] * g;
        }
        act.dz1[i] = s * scale;
      }
    }
    for (let b = 0; b < count; b++) {
      const dz1 = acts[b].dz1;
      for (let j = 0; j < n1; j++) gb1[j] += dz1[j];
    }
    for (let i = 0; i < d; i++) {
      const off = i * n1;
      for (let b = 0; b < count; b++) {
        const xi = acts[b].x[i];
        if (xi === 0) continue;
        const dz1 = acts[b].dz1;
        for (let j = 0; j < n1; j++) gw1[off + j] += xi * dz1[j];
      }
    }
  }

  step(): void {
    this.adam.update(this.params, this.grads);
  }

  getState(): MlpRouterState {
    return { params: Array.from(this.params), adam: this.adam.getState(), random: this.random.getState() };
  }

  setState(s: MlpRouterState): void {
    if (s.params.length !== this.params.length) throw new RangeError(`MlpRouter state: expected ${this.params.length} parameters, got ${s.params.length}`);
    this.params.set(s.params);
    this.adam.setState(s.adam);
    this.random = JavaRandom.fromState(s.random);
  }
}

/** dBCEWithLogits(z, m)/dz, averaged over `count` entries: (σ(z) − m) / count. */
export function bceGradient(logits: Float64Array, target: ArrayLike<number>, count: number, out: Float64Array): void {
  for (let j = 0; j < logits.length; j++) out[j] = (1 / (1 + Math.exp(-logits[j])) - target[j]) / count;
}
