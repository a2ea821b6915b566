import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInt } from './validate.js';

/** Configuration of {@link GruCell}. */
export interface GruCellConfig {
  inputDim: number;
  hiddenSize: number;
  seed?: number;
}

/** The three GRU gates: update z, reset r, candidate n. */
const GATES = ['z', 'r', 'n'] as const;
type Gate = (typeof GATES)[number];

/**
 * A GRU cell (Cho et al. 2014, the PyTorch gate layout): z = σ(x W_z + h U_z + b_z), r = σ(x W_r + h U_r + b_r),
 * n = tanh(x W_n + b_n + r ⊙ (h U_n + c_n)), h' = (1 − z) ⊙ n + z ⊙ h. One matrix per gate rather than a
 * fused [d, 3H] one: slicing a fused product costs as much as a small matMul on wasm, so this is cheaper.
 */
export class GruCell extends Module {
  readonly kind = 'GruCell';
  readonly inputDim: number;
  readonly hiddenSize: number;
  readonly seed: number;
  private readonly w = {} as Record<Gate, tf.Variable>;
  private readonly u = {} as Record<Gate, tf.Variable>;
  private readonly b = {} as Record<Gate, tf.Variable>;
  private readonly candidateHiddenBias: tf.Variable;

  constructor(config: GruCellConfig) {
    super();
    checkInt('GruCell', 'inputDim', config.inputDim);
    checkInt('GruCell', 'hiddenSize', config.hiddenSize);
    this.inputDim = config.inputDim;
    this.hiddenSize = config.hiddenSize;
    this.seed = config.seed ?? 0;
    checkInt('GruCell', 'seed', this.seed, 0);
    const H = this.hiddenSize;
    // PyTorch's GRU init: U(−1/√H, 1/√H) for every weight and bias.
    const a = 1 / Math.sqrt(H);
    const init = (name: string, shape: number[]) => this.addParam(name, tf.randomUniform(shape, -a, a, 'float32', deriveSeed(this.seed, name)));
    for (const g of GATES) {
      this.w[g] = init(`w${g}`, [this.inputDim, H]);
      this.u[g] = init(`u${g}`, [H, H]);
      this.b[g] = init(`b${g}`, [H]);
    }
    this.candidateHiddenBias = init('cn', [H]);
  }

  /** One step: x [T, inputDim], h [T, H] → h' [T, H]. */
  step(x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const pre = (g: 'z' | 'r') => tf.add(tf.add(tf.matMul(x, this.w[g]), tf.matMul(h, this.u[g])), this.b[g]);
      const z = tf.sigmoid(pre('z'));
      const r = tf.sigmoid(pre('r'));
      const hn = tf.add(tf.matMul(h, this.u.n), this.candidateHiddenBias);
      const n = tanhViaSigmoid(tf.add(tf.add(tf.matMul(x, this.w.n), this.b.n), tf.mul(r, hn)));
      return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D;
    });
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, hiddenSize: this.hiddenSize, seed: this.seed };
  }
}

/** tanh(v) = 2σ(2v) − 1: the same function, but tfjs-wasm's tanh is ~5× slower than its sigmoid. */
function tanhViaSigmoid(v: tf.Tensor): tf.Tensor {
  return tf.sub(tf.mul(2, tf.sigmoid(tf.mul(2, v))), 1);
}
