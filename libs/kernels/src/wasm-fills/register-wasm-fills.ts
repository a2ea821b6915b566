import * as tf from '@tensorflow/tfjs-core';
import { opsKernelFunc } from '../util/ops-kernel.js';
import { registerKernelOnce } from '../util/register-kernel-once.js';
import { conv2dBackpropFilterOps, depthwiseBackpropFilterOps, depthwiseBackpropInputOps, type ConvGradAttrs } from './conv-backprop.js';
import { einsumOps, unsortedSegmentSumOps } from './segment-and-einsum.js';
import { registerWasmTransposedMatMul } from './transposed-matmul.js';

type Named = Record<string, tf.Tensor>;
type Shape4 = [number, number, number, number];

/**
 * Kernels the wasm backend lacks that the suite needs (measured in reference/ts-ecosystem.md §2.4), each
 * built from wasm's native kernels: gather's gradient (UnsortedSegmentSum), conv2d and depthwise weight
 * gradients, the depthwise input gradient, and Einsum. Also routes wasm matmuls with a transposed operand
 * through an explicit transpose (XNNPACK instead of the 10–70× slower generic loop).
 */
export function registerWasmFills(): void {
  const fills: [string, tf.KernelFunc][] = [
    [tf.UnsortedSegmentSum, opsKernelFunc((i, a) => unsortedSegmentSumOps((i as Named).x, (i as Named).segmentIds, a.numSegments as number))],
    [tf.Conv2DBackpropFilter, opsKernelFunc((i, a) => conv2dBackpropFilterOps((i as Named).x as tf.Tensor4D, (i as Named).dy as tf.Tensor4D, a.filterShape as Shape4, a as unknown as ConvGradAttrs))],
    [tf.DepthwiseConv2dNativeBackpropFilter, opsKernelFunc((i, a) => depthwiseBackpropFilterOps((i as Named).x as tf.Tensor4D, (i as Named).dy as tf.Tensor4D, a.filterShape as Shape4, a as unknown as ConvGradAttrs))],
    [tf.DepthwiseConv2dNativeBackpropInput, opsKernelFunc((i, a) => depthwiseBackpropInputOps((i as Named).dy as tf.Tensor4D, (i as Named).filter as tf.Tensor4D, a.inputShape as Shape4, a as unknown as ConvGradAttrs))],
    [tf.Einsum, opsKernelFunc((i, a) => einsumOps(a.equation as string, Array.isArray(i) ? i : Object.values(i)))],
  ];
  for (const [kernelName, kernelFunc] of fills) registerKernelOnce({ kernelName, backendName: 'wasm', kernelFunc });
  registerWasmTransposedMatMul();
}
