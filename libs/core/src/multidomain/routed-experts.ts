import * as tf from '@tensorflow/tfjs-core';
import { combine, computeDispatchPlan, disposeDispatchPlan, dispatch } from '@moe/kernels';
import { applyAllExperts, mixExperts } from '../experts/all-experts.js';
import type { ExpertBank } from '../experts/expert-bank.js';

/** How hard-routed rows reach their expert: only the routed one runs ('sparse'), or all run, masked ('dense'). */
export type RoutedDispatch = 'sparse' | 'dense';

/**
 * Hard routing of each row of `x` [B, d] to one expert of `bank`, decided by `groups` [B, 1] int32 — computed
 * from any tensor (AdaptDHM: cluster of the embedding slice; STAR: the declared domain), not necessarily `x`.
 * 'sparse' lays the rows out through the kernels' dispatch plan (on device, no read-back), runs each expert on
 * its block with grouped matmuls and combines back; 'dense' runs every expert on every row and keeps each
 * row's own (the baseline sparse dispatch is measured against). Both give the same values.
 */
export function applyRouted(bank: ExpertBank, x: tf.Tensor2D, groups: tf.Tensor2D, mode: RoutedDispatch = 'sparse'): tf.Tensor2D {
  const B = x.shape[0];
  if (groups == null || groups.rank !== 2 || groups.shape[0] !== B || groups.shape[1] !== 1 || groups.dtype !== 'int32') {
    throw new Error(`applyRouted: groups must be int32 [${B}, 1] (one expert id per row); got ${groups == null ? String(groups) : `${groups.dtype} [${groups.shape}]`}`);
  }
  const E = bank.numExperts;
  if (mode === 'dense') {
    return tf.tidy(() => mixExperts(applyAllExperts(bank, x), oneHotRows(groups, E)));
  }
  const plan = computeDispatchPlan(groups, E);
  try {
    return tf.tidy(() => {
      const rows = dispatch(bank.preDispatch(x), plan);
      return combine(bank.forwardGrouped(rows, plan), tf.ones([B, 1]) as tf.Tensor2D, plan);
    });
  } finally {
    disposeDispatchPlan(plan);
  }
}

/** [B, 1] int32 group ids from host ids (e.g. each row's domain). */
export function groupIds(ids: ArrayLike<number>, numGroups: number): tf.Tensor2D {
  for (let i = 0; i < ids.length; i++) {
    if (!Number.isInteger(ids[i]) || ids[i] < 0 || ids[i] >= numGroups) throw new Error(`groupIds: ids[${i}] is ${ids[i]}; expected an integer in [0, ${numGroups})`);
  }
  return tf.tensor2d(Int32Array.from(ids), [ids.length, 1], 'int32');
}

/** [B, numGroups] float32 one-hot of [B, 1] int32 ids (built by comparison: wasm's float oneHot is broken in 4.22). */
export function oneHotRows(groups: tf.Tensor2D, numGroups: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.equal(groups, tf.reshape(tf.range(0, numGroups, 1, 'int32'), [1, numGroups])), 'float32') as tf.Tensor2D);
}
