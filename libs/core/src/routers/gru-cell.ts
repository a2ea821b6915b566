import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInt } from './validate.js';

export interface GruCellConfig {
  inputDim: number;
  hiddenSize: number;
  seed?: number;
}

/**
 * A GRU cell (Cho et al. 2014, the PyTorch gate layout): z = σ(x W_z + h U_z + b_z), r = σ(x W_r + h U_r + b_r),
 * n = tanh(x W_n + r ⊙ (h U_n) + b_n), h' = (1 − z) ⊙ n + z ⊙ h. The three gates share one [d, 3H] and one
 * [H, 3H] matrix so a step is two matMuls.
 */
export class GruCell extends Module {
  readonly kind = 'GruCell';
  readonly inputDim: number;
  readonly hiddenSize: number;
  readonly seed: number;
  private readonly wx: tf.Variable;
  private readonly wh: tf.Variable;
  private readonly bx: tf.Variable;
  private readonly bh: tf.Variable;

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
    this.wx = this.addParam('wx', tf.randomUniform([this.inputDim, 3 * H], -a, a, 'float32', deriveSeed(this.seed, 'wx')));
    this.wh = this.addParam('wh', tf.randomUniform([H, 3 * H], -a, a, 'float32', deriveSeed(this.seed, 'wh')));
    this.bx = this.addParam('bx', tf.randomUniform([3 * H], -a, a, 'float32', deriveSeed(this.seed, 'bx')));
    this.bh = this.addParam('bh', tf.randomUniform([3 * H], -a, a, 'float32', deriveSeed(this.seed, 'bh')));
  }

  /** One step: x [T, inputDim], h [T, H] → h' [T, H]. */
  step(x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const H = this.hiddenSize;
      const gx = tf.add(tf.matMul(x, this.wx), this.bx);
      const gh = tf.add(tf.matMul(h, this.wh), this.bh);
      const [xz, xr, xn] = tf.split(gx, [H, H, H], 1);
      const [hz, hr, hn] = tf.split(gh, [H, H, H], 1);
      const z = tf.sigmoid(tf.add(xz, hz));
      const r = tf.sigmoid(tf.add(xr, hr));
      const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D;
    });
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, hiddenSize: this.hiddenSize, seed: this.seed };
  }
}
