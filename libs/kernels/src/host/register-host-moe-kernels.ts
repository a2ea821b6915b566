import type * as tf from '@tensorflow/tfjs-core';
import { HOST_BACKENDS } from './host-tensors.js';
import { hostCombine, hostCombineWeightGrad, hostDispatch, hostDispatchPlan, hostGroupedMatMul, hostGroupedMatMulWeightGrad } from './host-moe-kernels.js';
import { MOE_COMBINE, MOE_COMBINE_WEIGHT_GRAD, MOE_DISPATCH, MOE_DISPATCH_PLAN, MOE_GROUPED_MATMUL, MOE_GROUPED_MATMUL_WEIGHT_GRAD } from '../moe/kernel-names.js';
import { registerKernelOnce } from '../util/register-kernel-once.js';

type Inputs = Record<string, tf.TensorInfo>;
type Body = (io: ReturnType<(typeof HOST_BACKENDS)['cpu']>, inputs: Inputs, attrs: Record<string, unknown>) => tf.TensorInfo | tf.TensorInfo[];

const BODIES: Record<string, Body> = {
  [MOE_DISPATCH_PLAN]: (io, i, a) => hostDispatchPlan(io, i.indices, a.numExperts as number, a.capacity as number),
  [MOE_DISPATCH]: (io, i, a) => hostDispatch(io, i.x, i.rowSlots, a.k as number),
  [MOE_COMBINE]: (io, i) => hostCombine(io, i.expertOut, i.weights, i.positions),
  [MOE_COMBINE_WEIGHT_GRAD]: (io, i) => hostCombineWeightGrad(io, i.dy, i.expertOut, i.positions),
  [MOE_GROUPED_MATMUL]: (io, i, a) => hostGroupedMatMul(io, i.x, i.w, i.offsets, Boolean(a.transposeW)),
  [MOE_GROUPED_MATMUL_WEIGHT_GRAD]: (io, i) => hostGroupedMatMulWeightGrad(io, i.a, i.b, i.offsets),
};

/** Registers the MoE kernels for cpu and wasm (same bodies; memory access differs per backend). */
export function registerHostMoeKernels(): void {
  for (const backendName of ['cpu', 'wasm'] as const) {
    for (const [kernelName, body] of Object.entries(BODIES)) {
      registerKernelOnce({
        kernelName, backendName,
        kernelFunc: ({ inputs, backend, attrs }) => body(HOST_BACKENDS[backendName](backend), inputs as Inputs, (attrs ?? {}) as Record<string, unknown>),
      });
    }
  }
}
