import type * as tf from '@tensorflow/tfjs-core';
import { MOE_COMBINE, MOE_COMBINE_WEIGHT_GRAD, MOE_DISPATCH, MOE_GROUPED_MATMUL, MOE_GROUPED_MATMUL_WEIGHT_GRAD } from '../moe/kernel-names.js';
import { registerKernelOnce } from '../util/register-kernel-once.js';
import { webgpuCombine, webgpuCombineWeightGrad, webgpuDispatch, webgpuGroupedMatMul, webgpuGroupedMatMulWeightGrad } from './moe-programs.js';
import type { WebGpuBackendLike } from './webgpu-program.js';

type Inputs = Record<string, tf.TensorInfo>;
type Body = (backend: WebGpuBackendLike, inputs: Inputs, attrs: Record<string, unknown>) => tf.TensorInfo;

const BODIES: Record<string, Body> = {
  [MOE_DISPATCH]: (b, i, a) => webgpuDispatch(b, i.x, i.rowSlots, a.k as number),
  [MOE_COMBINE]: (b, i) => webgpuCombine(b, i.expertOut, i.weights, i.positions),
  [MOE_COMBINE_WEIGHT_GRAD]: (b, i) => webgpuCombineWeightGrad(b, i.dy, i.expertOut, i.positions),
  [MOE_GROUPED_MATMUL]: (b, i, a) => webgpuGroupedMatMul(b, i.x, i.w, i.offsets, Boolean(a.transposeW)),
  [MOE_GROUPED_MATMUL_WEIGHT_GRAD]: (b, i) => webgpuGroupedMatMulWeightGrad(b, i.a, i.b, i.offsets),
};

/**
 * Registers the WGSL MoE kernels for the webgpu backend. The dispatch plan has no WGSL kernel: on webgpu it
 * runs as the composite (oneHot + cumsum + scatterND), which is already on device with static shapes.
 */
export function registerWebGpuMoeKernels(): void {
  for (const [kernelName, body] of Object.entries(BODIES)) {
    registerKernelOnce({
      kernelName, backendName: 'webgpu',
      kernelFunc: ({ inputs, backend, attrs }) => body(backend as unknown as WebGpuBackendLike, inputs as Inputs, (attrs ?? {}) as Record<string, unknown>),
    });
  }
}
