import { JavaRandom, type JavaRandomState } from '@moe/stream';
import { checkConfigFields, configFields } from '../config/config-fields.js';
import { MoeConfigError, MoeInputError } from '../errors/moe-error.js';
import { checkBoolean, checkInt, checkNumber } from '../routers/validate.js';
import { Adam, type AdamState } from './adam.js';

/** Activations of one forward pass, kept for the backward pass (make them with `MlpRouter.newActivations`). */
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
  /** dz2 at the indices in `live`, packed (backward scratch too). */
  liveGrad: Float64Array;
  liveCount: number;
}

/** {@link MlpRouter} sizes and training settings; every field is checked when the router is built. */
export interface MlpRouterOptions {
  /** Input features (d), integer ≥ 1. */
  inputs: number;
  /** Router outputs, one logit per expert (E), integer ≥ 1. */
  outputs: number;
  /** Width of the first hidden layer, integer ≥ 1 (256). */
  hidden1?: number;
  /** Width of the second hidden layer, integer ≥ 1 (128). */
  hidden2?: number;
  /** Dropout after the first hidden layer, in [0, 1) (torch RouterMLP: 0.2), applied only when `train` is passed to forward. */
  dropout?: number;
  /** Adam learning rate, > 0 (2e-3). */
  lr?: number;
  /** Seed of the java.util.Random that draws the init and the dropout masks, a safe integer (1). */
  seed?: number;
  /**
   * Keep parameters, Adam moments and activations at float32 precision (rounded after every layer and every
   * step), as torch's float32 tensors hold them. Default float64. A fidelity switch for measuring how much
   * of a gap to the authors' numbers is numeric precision.
   */
  float32?: boolean;
}

const MLP_ROUTER_FIELDS = configFields<MlpRouterOptions>()(['inputs', 'outputs', 'hidden1', 'hidden2', 'dropout', 'lr', 'seed', 'float32']);

/** An {@link MlpRouter}'s JSON-compatible state (parameters, Adam, RNG): restoring it resumes bit-identically. */
export interface MlpRouterState {
  params: number[];
  adam: AdamState;
  random: JavaRandomState;
}

/**
 * An online router for stream learners, on the CPU in float64 (no tensors): a stream learner routes and
 * learns one instance at a time, where per-call tensor overhead would dominate a network this small.
 *
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
  readonly float32: boolean;
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
  /** Forward scratch: the non-zero inputs of the layer being computed, and their indices. */
  private readonly liveValues: Float64Array;
  private readonly liveIndices: Int32Array;
  random: JavaRandom;

  constructor(o: MlpRouterOptions) {
    this.d = o.inputs;
    this.h1 = o.hidden1 ?? 256;
    this.h2 = o.hidden2 ?? 128;
    this.e = o.outputs;
    this.dropout = o.dropout ?? 0.2;
    this.float32 = o.float32 ?? false;
    checkConfigFields('MlpRouter', o, MLP_ROUTER_FIELDS);
    for (const [k, v] of [['inputs', this.d], ['outputs', this.e], ['hidden1', this.h1], ['hidden2', this.h2]] as const) checkInt('MlpRouter', k, v);
    // [0, 1): dropout 1 would scale the kept units by 1/0.
    if (typeof this.dropout !== 'number' || !(this.dropout >= 0 && this.dropout < 1)) {
      throw new MoeConfigError('invalid_field', 'MlpRouter', `MlpRouter: dropout must be a number in [0, 1); got ${JSON.stringify(this.dropout)}`, 'dropout');
    }
    checkNumber('MlpRouter', 'lr', o.lr ?? 2e-3, 0, Infinity, true);
    checkInt('MlpRouter', 'seed', o.seed ?? 1, Number.MIN_SAFE_INTEGER);
    checkBoolean('MlpRouter', 'float32', this.float32);
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
    if (this.float32) roundToFloat32(this.params);
    this.adam = new Adam(total, o.lr ?? 2e-3);
    const widest = Math.max(this.d, this.h1, this.h2);
    this.liveValues = new Float64Array(widest);
    this.liveIndices = new Int32Array(widest);
  }

  newActivations(): RouterActivations {
    return { x: new Float64Array(this.d), h1: new Float64Array(this.h1), h2: new Float64Array(this.h2), logits: new Float64Array(this.e), dz2: new Float64Array(this.h2), dz1: new Float64Array(this.h1), live: new Int32Array(this.h2), liveGrad: new Float64Array(this.h2), liveCount: 0 };
  }

  /** Logits for x into `act` (x copied in; NaN inputs enter as 0). `train` turns dropout on. */
  forward(x: ArrayLike<number>, act: RouterActivations, train = false): Float64Array {
    const { d, h1: n1, h2: n2, e, w1, w2, w3, liveValues, liveIndices } = this;
    const { h1, h2, logits } = act;
    const xs = act.x;
    for (let i = 0; i < d; i++) xs[i] = x[i] === x[i] ? x[i] : 0;
    if (this.float32) roundToFloat32(xs);
    affineOfNonZero(xs, d, w1, this.b1, n1, h1, liveValues, liveIndices);
    if (this.float32) roundToFloat32(h1);
    const keepScale = 1 / (1 - this.dropout);
    for (let j = 0; j < n1; j++) {
      if (h1[j] < 0) h1[j] = 0;
      else if (train && this.dropout > 0) h1[j] = this.random.nextDouble() < this.dropout ? 0 : h1[j] * keepScale;
    }
    if (this.float32) roundToFloat32(h1);
    affineOfNonZero(h1, n1, w2, this.b2, n2, h2, liveValues, liveIndices);
    for (let j = 0; j < n2; j++) if (h2[j] < 0) h2[j] = 0;
    if (this.float32) roundToFloat32(h2);
    affineOfNonZero(h2, n2, w3, this.b3, e, logits, liveValues, liveIndices);
    if (this.float32) roundToFloat32(logits);
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
      const { h2, dz2, live, liveGrad } = acts[b];
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
        if (s !== 0) {
          liveGrad[nLive] = s;
          live[nLive++] = i;
        }
      }
      acts[b].liveCount = nLive;
      for (let j = 0; j < n2; j++) gb2[j] += dz2[j];
    }
    const scale = train && this.dropout > 0 ? 1 / (1 - this.dropout) : 1;
    // Two weight rows at a time share the loads of each live dz2 entry; every gradient element still gets its
    // terms in instance order, and each dz1 sum in live order.
    for (let i = 0; i < n1; i += 2) {
      const pair = i + 1 < n1;
      const off0 = i * n2;
      const off1 = off0 + n2;
      for (let b = 0; b < count; b++) {
        const act = acts[b];
        const { h1, dz1, live, liveGrad, liveCount } = act;
        const a0 = h1[i];
        const a1 = pair ? h1[i + 1] : 0;
        if (a0 !== 0 && a1 !== 0) {
          let s0 = 0;
          let s1 = 0;
          for (let q = 0; q < liveCount; q++) {
            const j = live[q];
            const g = liveGrad[q];
            const k0 = off0 + j;
            const k1 = off1 + j;
            gw2[k0] += a0 * g;
            s0 += w2[k0] * g;
            gw2[k1] += a1 * g;
            s1 += w2[k1] * g;
          }
          dz1[i] = s0 * scale;
          dz1[i + 1] = s1 * scale;
        } else {
          dz1[i] = a0 === 0 ? 0 : rowBackward(a0, off0, live, liveGrad, liveCount, w2, gw2) * scale;
          if (pair) dz1[i + 1] = a1 === 0 ? 0 : rowBackward(a1, off1, live, liveGrad, liveCount, w2, gw2) * scale;
        }
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
    if (this.float32) roundToFloat32(this.grads);
    this.adam.update(this.params, this.grads);
    if (this.float32) {
      roundToFloat32(this.params);
      roundToFloat32(this.adam.m);
      roundToFloat32(this.adam.v);
    }
  }

  getState(): MlpRouterState {
    return { params: Array.from(this.params), adam: this.adam.getState(), random: this.random.getState() };
  }

  setState(s: MlpRouterState): void {
    if (s.params.length !== this.params.length) throw new MoeInputError('invalid_weights', 'MlpRouter', `MlpRouter: state must hold ${this.params.length} parameters; got ${s.params.length}`, 'params');
    this.params.set(s.params);
    this.adam.setState(s.adam);
    this.random = JavaRandom.fromState(s.random);
  }
}

/**
 * out[j] = bias[j] + Σ_i input[i]·w[i·nOut + j] over the non-zero inputs, added in ascending i (the order of the
 * plain input-major loop, so results are bit-identical to it). The non-zero inputs are gathered first, then
 * four outputs at a time keep their sums in registers while walking those inputs, instead of loading and
 * storing every output once per input.
 */
function affineOfNonZero(input: Float64Array, nIn: number, w: Float64Array, bias: Float64Array, nOut: number, out: Float64Array, values: Float64Array, indices: Int32Array): void {
  let live = 0;
  for (let i = 0; i < nIn; i++) {
    const v = input[i];
    if (v === 0) continue;
    values[live] = v;
    indices[live++] = i * nOut;
  }
  let j = 0;
  for (; j + 8 <= nOut; j += 8) {
    let s0 = bias[j];
    let s1 = bias[j + 1];
    let s2 = bias[j + 2];
    let s3 = bias[j + 3];
    let s4 = bias[j + 4];
    let s5 = bias[j + 5];
    let s6 = bias[j + 6];
    let s7 = bias[j + 7];
    for (let k = 0; k < live; k++) {
      const v = values[k];
      const off = indices[k] + j;
      s0 += v * w[off];
      s1 += v * w[off + 1];
      s2 += v * w[off + 2];
      s3 += v * w[off + 3];
      s4 += v * w[off + 4];
      s5 += v * w[off + 5];
      s6 += v * w[off + 6];
      s7 += v * w[off + 7];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
    out[j + 4] = s4;
    out[j + 5] = s5;
    out[j + 6] = s6;
    out[j + 7] = s7;
  }
  for (; j < nOut; j++) {
    let s = bias[j];
    for (let k = 0; k < live; k++) s += values[k] * w[indices[k] + j];
    out[j] = s;
  }
}

/** One weight row of layer 2 in the backward pass: adds a·g into its gradient, returns Σ w·g (live order). */
function rowBackward(a: number, off: number, live: Int32Array, liveGrad: Float64Array, liveCount: number, w2: Float64Array, gw2: Float64Array): number {
  let s = 0;
  for (let q = 0; q < liveCount; q++) {
    const k = off + live[q];
    const g = liveGrad[q];
    gw2[k] += a * g;
    s += w2[k] * g;
  }
  return s;
}

/** Rounds every element to the nearest float32 (in place). */
function roundToFloat32(a: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.fround(a[i]);
}
