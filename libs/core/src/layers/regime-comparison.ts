import * as tf from '@tensorflow/tfjs-core';
import { DenseFfn } from '../experts/dense-ffn.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { TopKRouter } from '../routers/top-k-router.js';
import { disposeRoutingStats, readRoutingStats } from '../telemetry/routing-stats.js';
import { MoeLayer } from './moe-layer.js';
import { makeRegimeTask, trainRegression } from './synthetic-regimes.js';

/** Options of {@link compareMoeWithDense} (task size, model sizes, training budget, seeds). */
export interface RegimeComparisonOptions {
  inputDim?: number;
  regimes?: number;
  experts?: number;
  k?: number;
  expertHidden?: number;
  steps?: number;
  batch?: number;
  lr?: number;
  balanceWeight?: number;
  seeds?: number[];
}

/** One seed's result of {@link compareMoeWithDense}. */
export interface RegimeComparisonRow {
  seed: number;
  /** Held-out MSE after training. */
  moe: number;
  dense: number;
  /** Largest expert token share on a held-out batch (≤ 2/E is the balance criterion). */
  maxShare: number;
}

/** What {@link compareMoeWithDense} returns: the resolved options, active-parameter counts and one row per seed. */
export interface RegimeComparison {
  options: Required<RegimeComparisonOptions>;
  /** Active parameters per token: MoE (router + k experts) and the dense FFN (≥ the MoE's). */
  activeMoe: number;
  activeDense: number;
  denseHidden: number;
  rows: RegimeComparisonRow[];
}

/**
 * The experiment of the MoE learning test: per seed, an MoE layer (top-k of E FFN experts, Switch balance
 * loss) and the smallest dense FFN with at least as many active parameters train for the same Adam steps
 * on the same mixture-of-regimes batches; returns held-out MSEs and the MoE's largest expert share.
 */
export async function compareMoeWithDense(options: RegimeComparisonOptions = {}): Promise<RegimeComparison> {
  const o: Required<RegimeComparisonOptions> = { inputDim: 8, regimes: 4, experts: 8, k: 2, expertHidden: 16, steps: 250, batch: 128, lr: 1e-2, balanceWeight: 1e-2, seeds: [1, 2, 3], ...options };
  const rows: RegimeComparisonRow[] = [];
  let activeMoe = 0;
  let activeDense = 0;
  let denseHidden = 1;
  for (const seed of o.seeds) {
    const task = makeRegimeTask(o.inputDim, o.regimes, seed * 7);
    const moe = new MoeLayer(
      new TopKRouter({ inputDim: o.inputDim, numExperts: o.experts, k: o.k, dropless: true, seed }),
      new FfnExperts({ numExperts: o.experts, inputDim: o.inputDim, hiddenDim: o.expertHidden, outputDim: 1, activation: 'relu', seed }),
      { balanceWeight: o.balanceWeight },
    );
    activeMoe = moe.activeParams(o.k);
    denseHidden = 1;
    const denseParams = (h: number) => h * (o.inputDim + 2) + 1;
    while (denseParams(denseHidden) < activeMoe) denseHidden++;
    const dense = new DenseFfn({ inputDim: o.inputDim, hiddenDim: denseHidden, outputDim: 1, activation: 'relu', seed });
    activeDense = dense.paramsPerToken();
    const train = { steps: o.steps, batch: o.batch, lr: o.lr, seed };
    const moeLoss = await trainRegression(task, (x, training) => {
      const f = moe.apply(x, { training });
      disposeRoutingStats(f.stats);
      tf.dispose(Object.values(f.aux.parts));
      return { prediction: f.output as tf.Tensor2D, aux: f.aux.total };
    }, moe.trainableVariables(), train);
    const denseLoss = await trainRegression(task, (x) => ({ prediction: dense.apply(x) as tf.Tensor2D }), dense.trainableVariables(), train);
    const held = task.sample(2048, 424_242 + seed);
    const f = moe.apply(held.x, { training: false });
    const stats = await readRoutingStats(f.stats);
    disposeRoutingStats(f.stats);
    tf.dispose([f.output, f.aux.total, ...Object.values(f.aux.parts), held.x, held.y, held.regime]);
    rows.push({ seed, moe: moeLoss, dense: denseLoss, maxShare: stats.maxShare });
    moe.dispose();
    dense.dispose();
    task.dispose();
  }
  return { options: o, activeMoe, activeDense, denseHidden, rows };
}

/** Mean and sample standard deviation. */
export function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std };
}
