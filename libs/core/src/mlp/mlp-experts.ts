import * as tf from '@tensorflow/tfjs-core';
import type { DispatchPlan } from '@moe/kernels';
import { checkExpertInputs } from '../experts/all-experts.js';
import { checkInput } from '../experts/check.js';
import { ExpertBank } from '../experts/expert-bank.js';
import { withGroupedOps, type LinearOps } from '../experts/linear-ops.js';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkInt } from '../routers/validate.js';
import { BatchNorm } from './batch-norm.js';
import type { ForwardContext } from './forward-context.js';
import { activateTensor, createMlpWeights, isHiddenLayer, mlpForward, mlpOutputDim, resolveMlpLayers, type MlpLayers, type MlpLayerWeights } from './mlp-layers.js';

/** Configuration of {@link MlpExperts}. */
export interface MlpExpertsConfig extends MlpLayers {
  numExperts: number;
  inputDim: number;
  seed?: number;
}

/**
 * E multi-layer perceptron experts, run by grouped matmuls over an expert-contiguous buffer (their weights
 * stacked to [E, in, out] per call), with optional per-expert, per-layer BatchNorm (HoME's
 * Swish(BN(Wv + b)) experts, CTR expert MLPs). Batch statistics need each expert's whole batch, so training
 * with BatchNorm goes through `applyAll` (every expert on every token); `forwardGrouped` on any plan uses the
 * moving statistics. `applyAll` (every expert on every token) needs no plan: one dense matmul per expert on
 * that expert's [T, ·] rows. Each expert keeps its own variables (`expert<e>.w<l>`) rather than slices of a
 * stacked one because wasm's XNNPACK caches its packed copy of a matmul operand per tensor: a fresh slice per
 * call repacks every weight every call (measured: MMoE CTR inference at batch 256 twice as slow); through the
 * grouped kernel or one batched matmul the same pass was ~2× and ~3× slower than per-expert matmuls.
 */
export class MlpExperts extends ExpertBank {
  readonly kind = 'MlpExperts';
  readonly numExperts: number;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly layers: Required<MlpLayers>;
  readonly seed: number;
  /** [expert][layer]: each expert's own variables (see the class comment). */
  private readonly perExpert: MlpLayerWeights[][];
  private readonly norms: (BatchNorm | undefined)[];

  constructor(config: MlpExpertsConfig) {
    super();
    const { numExperts, inputDim, seed, ...layers } = config;
    checkInt('MlpExperts', 'numExperts', numExperts);
    checkInt('MlpExperts', 'inputDim', inputDim);
    this.numExperts = numExperts;
    this.inputDim = inputDim;
    this.seed = seed ?? 0;
    this.layers = resolveMlpLayers('MlpExperts', 'layers', layers);
    this.outputDim = mlpOutputDim(inputDim, this.layers);
    this.perExpert = Array.from({ length: numExperts }, (_, e) => createMlpWeights((n, t) => this.addParam(`expert${e}.${n}`, t), inputDim, this.layers, deriveSeed(this.seed, `expert${e}`)));
    this.norms = this.layers.sizes.map((size, i) => (this.layers.batchNorm && isHiddenLayer(this.layers, i) ? this.addChild(`norm${i}`, new BatchNorm({ channels: size, groups: numExperts })) : undefined));
  }

  /** Inference-mode forward on any plan (BatchNorm with moving statistics, spread to each row's expert). */
  forwardGrouped(x: tf.Tensor2D, plan: DispatchPlan): tf.Tensor2D {
    checkInput('MlpExperts.forwardGrouped', 'x', x, [2], this.inputDim);
    if (this.layers.sizes.length === 0) return tf.clone(x);
    return withGroupedOps(plan, (ops) => mlpForward(x, this.stacked(), this.layers, { linear: (h, { w, b }) => ops.linear(h, w, b), norm: (h, i) => this.movingNorm(h, i, ops), activate: activateTensor }));
  }

  /**
   * Every expert on every token → [E, T, outputDim]. `inputs`: one [T, d] tensor, one per expert, or an
   * [E, T, d] stack (see `applyAllExperts`). In training, BatchNorm uses each expert's batch statistics and
   * queues the moving-average updates in `ctx`.
   */
  applyAll(inputs: tf.Tensor2D | tf.Tensor3D | tf.Tensor2D[], ctx: ForwardContext): tf.Tensor3D {
    const E = this.numExperts;
    const T = checkExpertInputs('MlpExperts.applyAll', E, this.inputDim, inputs);
    return tf.tidy(() => {
      const xs: tf.Tensor2D[] = Array.isArray(inputs) ? inputs : inputs.rank === 3 ? (tf.unstack(inputs) as tf.Tensor2D[]) : Array<tf.Tensor2D>(E).fill(inputs as tf.Tensor2D);
      const layerWeights = this.layers.sizes.map((_, l) => this.perExpert.map((w) => w[l]));
      const ys = mlpForward(xs, layerWeights, this.layers, {
        linear: (hs, ws) => hs.map((h, e) => tf.add(tf.matMul(h, ws[e].w as tf.Tensor2D), ws[e].b) as tf.Tensor2D),
        // Per-expert batch statistics: BatchNorm with one group per expert over the [E, T, n] stack.
        norm: (hs, i) => tf.unstack((this.norms[i] as BatchNorm).apply(tf.stack(hs) as tf.Tensor3D, ctx)) as tf.Tensor2D[],
        activate: (hs, a) => hs.map((h) => activateTensor(h, a)),
      });
      return tf.reshape(tf.stack(ys), [E, T, this.outputDim]) as tf.Tensor3D;
    });
  }

  /** Per layer, every expert's weights stacked ([E, in, out], [E, out]) for the grouped matmuls. */
  private stacked(): MlpLayerWeights[] {
    return this.layers.sizes.map((_, l) => ({ w: tf.stack(this.perExpert.map((w) => w[l].w)), b: tf.stack(this.perExpert.map((w) => w[l].b)) }));
  }

  private movingNorm(h: tf.Tensor2D, i: number, ops: LinearOps): tf.Tensor2D {
    const norm = this.norms[i] as BatchNorm;
    const flat = (v: tf.Variable) => tf.reshape(v, [this.numExperts, h.shape[1]]);
    const scale = tf.mul(ops.perRow(flat(norm.gamma)), tf.rsqrt(tf.add(ops.perRow(flat(norm.movingVar)), norm.config.epsilon)));
    return tf.add(tf.mul(tf.sub(h, ops.perRow(flat(norm.movingMean))), scale), ops.perRow(flat(norm.beta))) as tf.Tensor2D;
  }

  paramsPerExpert(): number {
    let n = 0;
    let width = this.inputDim;
    for (const size of this.layers.sizes) {
      n += width * size + size;
      width = size;
    }
    return n;
  }

  getConfig(): ModuleConfig {
    return { numExperts: this.numExperts, inputDim: this.inputDim, ...this.layers, sizes: [...this.layers.sizes], seed: this.seed };
  }
}
