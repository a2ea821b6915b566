import * as tf from '@tensorflow/tfjs-core';
import { DenseFfn, FfnExperts, FilmExperts, MoeLayer, TopKRouter, disposeRoutingStats, type FilmModulation } from '@moe/core';

export interface ExpertCostOptions {
  /** Token width D (paper: 384). */
  dim: number;
  experts: number;
  k: number;
  /** Tokens per forward (paper's estimator: one 240² image at patch 8 = 900). */
  tokens: number;
  /** Timed forwards after one warm-up (median reported). */
  reps: number;
}

export interface ExpertCostRow {
  experts: number;
  moeParams: number;
  moeMs: number;
  mofme: { modulation: FilmModulation; params: number; ms: number; paramRatio: number; timeRatio: number }[];
}

async function medianMs(run: () => tf.Tensor, reps: number): Promise<number> {
  const warm = run();
  await warm.data();
  warm.dispose();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const y = run();
    await y.data();
    times.push(performance.now() - t0);
    y.dispose();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Parameters and evaluation-forward time of one MoFME FFN block (FiLM experts on a shared GLU + the shared
 * D→4D→D FFN, top-k router) against one conventional MoE-FFN (E experts D→4D→D, same router), on the same
 * tokens, backend and k — the paper's ratios are MoFME ÷ MoE (≈0.28 parameters, ≈0.61 time). Our FiLM experts
 * are dispatched sparsely (only the k chosen modulations run), unlike the released code, which computes all E.
 */
export async function measureExpertCost(o: ExpertCostOptions): Promise<ExpertCostRow> {
  const D = o.dim;
  const x = tf.randomNormal([o.tokens, D]) as tf.Tensor2D;
  const router = () => new TopKRouter({ inputDim: D, numExperts: o.experts, k: o.k, dropless: true, seed: 1 });
  try {
    const moe = new MoeLayer(router(), new FfnExperts({ numExperts: o.experts, inputDim: D, hiddenDim: 4 * D, activation: 'gelu', seed: 2 }));
    const moeParams = moe.countParams();
    const moeMs = await medianMs(() => {
      const f = moe.apply(x, { training: false });
      disposeRoutingStats(f.stats);
      tf.dispose([f.aux.total, ...Object.values(f.aux.parts)]);
      return f.output;
    }, o.reps);
    moe.dispose();
    const mofme: ExpertCostRow['mofme'] = [];
    for (const modulation of ['linear', 'vector'] as const) {
      const layer = new MoeLayer(router(), new FilmExperts({ numExperts: o.experts, inputDim: D, hiddenDim: D, modulation, seed: 3 }));
      const shared = new DenseFfn({ inputDim: D, hiddenDim: 4 * D, activation: 'gelu', seed: 4 });
      const params = layer.countParams() + shared.countParams();
      const ms = await medianMs(() => {
        const f = layer.apply(x, { training: false });
        disposeRoutingStats(f.stats);
        tf.dispose([f.aux.total, ...Object.values(f.aux.parts)]);
        const y = shared.apply(f.output);
        f.output.dispose();
        return y;
      }, o.reps);
      layer.dispose();
      shared.dispose();
      mofme.push({ modulation, params, ms, paramRatio: params / moeParams, timeRatio: ms / moeMs });
    }
    return { experts: o.experts, moeParams, moeMs, mofme };
  } finally {
    x.dispose();
  }
}
