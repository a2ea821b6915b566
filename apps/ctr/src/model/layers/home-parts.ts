import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type ModuleConfig } from '@moe/core';
import type { ForwardContext } from '../forward-context.js';
import { Dense, glorot } from './dense.js';
import { Mlp } from './mlp.js';

/**
 * HoME feature-gate: a privatised, LoRA-factorised input scaling v ⊙ 2σ(v·B·A). A starts at zero so the
 * gate starts at exactly 1 (the factor 2 centres σ's range (0, 2) on 1, as PEPNet's Gate NU).
 */
export class FeatureGate extends Module {
  readonly kind = 'CtrFeatureGate';
  private readonly down: tf.Variable;
  private readonly up: tf.Variable;

  constructor(readonly inputDim: number, readonly rank: number, readonly seed: number) {
    super();
    this.down = this.addParam('B', glorot([inputDim, rank], deriveSeed(seed, 'B')));
    this.up = this.addParam('A', tf.zeros([rank, inputDim]));
  }

  apply(v: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(v, tf.mul(tf.sigmoid(tf.matMul(tf.matMul(v, this.down), this.up)), 2));
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, rank: this.rank, seed: this.seed };
  }
}

/** One HoME expert: optional feature-gate, then an MLP (BN + Swish, or plain ReLU when ablated). */
export class HomeExpert extends Module {
  readonly kind = 'CtrHomeExpert';
  private readonly gate?: FeatureGate;
  private readonly mlp: Mlp;

  constructor(readonly inputDim: number, hidden: readonly number[], options: { bnSwish: boolean; featureGate: boolean; loraRank: number }, readonly seed: number) {
    super();
    if (options.featureGate) this.gate = this.addChild('featureGate', new FeatureGate(inputDim, options.loraRank, deriveSeed(seed, 'featureGate')));
    this.mlp = this.addChild('mlp', new Mlp(inputDim, hidden, deriveSeed(seed, 'mlp'), options.bnSwish ? { activation: 'swish', batchNorm: true } : { activation: 'relu' }));
  }

  get outputDim(): number {
    return this.mlp.outputDim;
  }

  apply(v: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return this.mlp.apply(this.gate ? this.gate.apply(v) : v, ctx);
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, seed: this.seed };
  }
}

/**
 * HoME self-gate: a residual mix over a group's own experts only — σ(MLP(x)) for one expert, softmax for
 * several — giving sparse tasks a gradient path that the shared gate cannot crowd out.
 */
export class SelfGate extends Module {
  readonly kind = 'CtrSelfGate';
  private readonly dense: Dense;

  constructor(readonly inputDim: number, readonly numExperts: number, readonly seed: number) {
    super();
    this.dense = this.addChild('dense', new Dense(inputDim, numExperts, seed));
  }

  weights(x: tf.Tensor2D): tf.Tensor2D {
    const logits = this.dense.apply(x);
    return this.numExperts === 1 ? tf.sigmoid(logits) : tf.softmax(logits);
  }

  getConfig(): ModuleConfig {
    return { inputDim: this.inputDim, numExperts: this.numExperts, seed: this.seed };
  }
}
