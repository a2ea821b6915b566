import * as tf from '@tensorflow/tfjs-core';
import type { DispatchPlan } from './dispatch-plan.js';
import { MOE_DISPATCH_PLAN } from './kernel-names.js';
import { dispatchPlanComposite } from './plan-composite.js';
import { checkInteger, checkTensor } from '../util/check-args.js';

/** Options of {@link computeDispatchPlan}. */
export interface DispatchPlanOptions {
  /** Rows per expert; assignments beyond it are dropped. Undefined = dropless (T*k rows). */
  capacity?: number;
}

/**
 * Lays router choices out in expert-contiguous order (see {@link DispatchPlan}), on device with static
 * shapes. Expert ids must lie in [-1, numExperts): the cpu and wasm kernels throw otherwise; backends that
 * cannot read back synchronously (webgpu) treat them as -1 — call {@link validateRouterIndices} to check.
 *
 * ```ts
 * const plan = computeDispatchPlan(tf.tensor2d([[0, 1], [1, -1]], [2, 2], 'int32'), 2);
 * // plan.positions = [[0, 1], [2, -1]], plan.offsets = [0, 1, 4], plan.counts = [1, 2]
 * ```
 */
export function computeDispatchPlan(indices: tf.Tensor2D, numExperts: number, options: DispatchPlanOptions = {}): DispatchPlan {
  const op = 'computeDispatchPlan';
  checkTensor(op, 'indices', indices, 2, 'int32');
  checkInteger(op, 'numExperts', numExperts, 1);
  const capacity = options.capacity;
  if (capacity !== undefined) checkInteger(op, 'options.capacity', capacity, 1);
  const [T, k] = indices.shape;
  if (T < 1 || k < 1) throw new Error(`${op}: indices must have at least one token and one choice; got shape [${indices.shape}]`);
  const rows = capacity === undefined ? T * k : numExperts * capacity;
  let outs: tf.Tensor[];
  if (tf.getKernel(MOE_DISPATCH_PLAN, tf.getBackend()) != null) {
    outs = tf.engine().runKernel(MOE_DISPATCH_PLAN, { indices }, { numExperts, capacity: capacity ?? -1 } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  } else {
    outs = planWithoutGradient(indices, numExperts, capacity);
  }
  const [positions, offsets, counts, dropped, rowSlots] = outs;
  return {
    numTokens: T, k, numExperts, capacity, rows,
    positions: positions as tf.Tensor2D,
    offsets: offsets as tf.Tensor1D,
    counts: counts as tf.Tensor1D,
    dropped: dropped as tf.Scalar,
    rowSlots: rowSlots as tf.Tensor1D,
  };
}

/**
 * Runs the composite on a tape-detached alias of `indices` (same data, no producer on the gradient tape):
 * router ids are integers and carry no gradient, and several comparison ops inside have none in tfjs, so
 * autodiff must never walk into the plan.
 */
function planWithoutGradient(indices: tf.Tensor2D, numExperts: number, capacity: number | undefined): tf.Tensor[] {
  // The alias shares the data buffer, so it takes its own reference (released by its dispose).
  tf.backend().incRef(indices.dataId);
  const detached = tf.engine().makeTensorFromDataId(indices.dataId, indices.shape, 'int32') as tf.Tensor2D;
  try {
    return dispatchPlanComposite(detached, numExperts, capacity);
  } finally {
    detached.dispose();
  }
}

/** Disposes every tensor a plan holds. */
export function disposeDispatchPlan(plan: DispatchPlan): void {
  tf.dispose([plan.positions, plan.offsets, plan.counts, plan.dropped, plan.rowSlots]);
}

/**
 * Asynchronously checks that router indices are int32 in [-1, numExperts) (works on every backend,
 * including webgpu where the plan kernel cannot throw on bad ids). Rejects naming the first bad entry.
 */
export async function validateRouterIndices(indices: tf.Tensor2D, numExperts: number): Promise<void> {
  checkTensor('validateRouterIndices', 'indices', indices, 2, 'int32');
  checkInteger('validateRouterIndices', 'numExperts', numExperts, 1);
  const v = await indices.data();
  const k = indices.shape[1];
  for (let i = 0; i < v.length; i++) {
    if (v[i] < -1 || v[i] >= numExperts) {
      throw new Error(`validateRouterIndices: indices[${Math.floor(i / k)},${i % k}] is ${v[i]}; expert ids must be in [-1, ${numExperts})`);
    }
  }
}
