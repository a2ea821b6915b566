import * as tf from '@tensorflow/tfjs-core';
import { checkInt, checkNumber } from '../experts/check.js';
import type { DenseFfn } from '../experts/dense-ffn.js';
import { FfnExperts } from '../experts/ffn-experts.js';

/** Options of {@link upcycle}. */
export interface UpcycleOptions {
  /**
   * Standard deviation of Gaussian noise added to every copied weight, to break the symmetry between
   * identical experts (community recipes use 1e-3). Default 0: the MoE then computes exactly the dense FFN
   * whenever its combine weights sum to 1.
   */
  noise?: number;
  seed?: number;
}

/**
 * Sparse upcycling (Komatsuzaki et al.; V-MoE `expand_tile`): an FFN expert bank whose E experts start as
 * copies of a trained dense FFN. Pass one FFN and a count, or — BAM / Branch-Train-MiX style — one dense FFN
 * per expert (each trained on its own domain from a common seed), which are stacked in order. The dense
 * modules are read, not consumed.
 */
export function upcycle(dense: DenseFfn | DenseFfn[], numExperts?: number, options: UpcycleOptions = {}): FfnExperts {
  const sources = Array.isArray(dense) ? dense : Array<DenseFfn>(numExperts ?? 0).fill(dense);
  if (Array.isArray(dense)) {
    if (dense.length === 0) throw new Error('upcycle: dense must be a DenseFfn or a non-empty array of them; got []');
    if (numExperts !== undefined && numExperts !== dense.length) throw new Error(`upcycle: numExperts (${numExperts}) must equal dense.length (${dense.length}) when several FFNs are given`);
  } else {
    checkInt('upcycle', 'numExperts', numExperts);
  }
  const noise = options.noise ?? 0;
  checkNumber('upcycle', 'options.noise', noise, 0);
  const shape = sources[0].shape;
  for (const [i, s] of sources.entries()) {
    const t = s.shape;
    if (t.inputDim !== shape.inputDim || t.hiddenDim !== shape.hiddenDim || t.outputDim !== shape.outputDim || t.activation !== shape.activation || t.bias !== shape.bias) {
      throw new Error(`upcycle: dense[${i}] has shape ${JSON.stringify(t)}; every FFN must match dense[0] ${JSON.stringify(shape)}`);
    }
  }
  const seed = options.seed ?? 0;
  const bank = new FfnExperts({ numExperts: sources.length, inputDim: shape.inputDim, hiddenDim: shape.hiddenDim, outputDim: shape.outputDim, activation: shape.activation, bias: shape.bias, seed });
  const perSource = sources.map((s) => s.getWeights());
  try {
    const stacked: Record<string, tf.Tensor> = {};
    let i = 0;
    for (const name of Object.keys(perSource[0])) {
      stacked[name] = tf.tidy(() => {
        const w = tf.stack(perSource.map((p) => p[name]));
        return noise > 0 ? tf.add(w, tf.randomNormal(w.shape, 0, noise, 'float32', seed + i++)) : w;
      });
    }
    bank.setWeights(stacked);
    tf.dispose(Object.values(stacked));
  } finally {
    perSource.forEach((p) => tf.dispose(Object.values(p)));
  }
  return bank;
}
