import * as tf from '@tensorflow/tfjs-core';
import type { CblasLibrary } from '../cblas-library.js';
import type { WasmHeap } from '../wasm-heap.js';

/** The geometry of a (broadcast) batched matmul, as tfjs' BatchMatMul defines it. */
interface MatMulGeometry {
  outShape: number[];
  batch: number;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
}

function geometry(a: tf.TensorInfo, b: tf.TensorInfo, transA: boolean, transB: boolean): MatMulGeometry {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) throw new Error(`native BatchMatMul: a and b must have rank >= 2; got shapes [${a.shape}] and [${b.shape}]`);
  const k = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transB ? b.shape[rb - 1] : b.shape[rb - 2];
  if (k !== kb) {
    throw new Error(`Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transA} and transposeB=${transB} must match.`);
  }
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  return { outShape: [...outer, m, n], batch: Math.max(batchA, batchB, tf.util.sizeFromShape(outer)), batchA, batchB, m, n, k };
}

/**
 * out (already allocated, [batch, m, n]) = op(a)·op(b) + beta·out, batch by batch with tfjs' broadcasting
 * (a batch index wraps modulo each operand's batch count, as the cpu reference does). Transposed operands
 * go to the GEMM as they are: no explicit transpose, unlike the wasm path.
 */
function gemmInto(blas: CblasLibrary, heap: WasmHeap, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo, g: MatMulGeometry, transA: boolean, transB: boolean, beta: number): void {
  const { batch, batchA, batchB, m, n, k } = g;
  const av = heap.f32(a);
  const bv = heap.f32(b);
  const cv = heap.f32(out);
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (beta === 0) cv.fill(0);
    return;
  }
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  // One shared right operand and a row-major left one: the batch is just more rows of a single GEMM.
  if (batchB === 1 && !transA && batchA === batch) {
    blas.sgemm(false, transB, batch * m, n, k, 1, av, lda, bv, ldb, beta, cv, n);
    return;
  }
  for (let i = 0; i < batch; i++) {
    const aOff = (i % batchA) * m * k;
    const bOff = (i % batchB) * k * n;
    blas.sgemm(transA, transB, m, n, k, 1, av.subarray(aOff), lda, bv.subarray(bOff), ldb, beta, cv.subarray(i * m * n), n);
  }
}

/** BatchMatMul on the GEMM, reading a and b in place on the heap and writing the output there. */
export function nativeBatchMatMul(blas: CblasLibrary, heap: WasmHeap, a: tf.TensorInfo, b: tf.TensorInfo, transA: boolean, transB: boolean): tf.TensorInfo {
  const g = geometry(a, b, transA, transB);
  const out = heap.alloc(g.outShape);
  gemmInto(blas, heap, a, b, out, g, transA, transB, 0);
  return out;
}

/** The wasm kernel (and its inputs/attrs) of each fused activation, as tfjs' fused ops define them. */
function activationKernel(activation: string, x: tf.TensorInfo, prelu: tf.TensorInfo | undefined, leakyreluAlpha: number | undefined): [string, Record<string, tf.TensorInfo>, Record<string, unknown>] | null {
  switch (activation) {
    case 'linear': return null;
    case 'relu': return ['Relu', { x }, {}];
    case 'relu6': return ['Relu6', { x }, {}];
    case 'elu': return ['Elu', { x }, {}];
    case 'sigmoid': return ['Sigmoid', { x }, {}];
    case 'leakyrelu': return ['LeakyRelu', { x }, { alpha: leakyreluAlpha ?? 0.2 }];
    case 'prelu':
      if (prelu == null) throw new Error('native _FusedMatMul: activation prelu needs preluActivationWeights');
      return ['Prelu', { x, alpha: prelu }, {}];
    default:
      throw new Error(`native _FusedMatMul: activation must be one of linear, relu, relu6, elu, sigmoid, leakyrelu, prelu; got '${activation}'`);
  }
}

export interface FusedMatMulInputs {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  bias?: tf.TensorInfo;
  preluActivationWeights?: tf.TensorInfo;
}

export interface FusedMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation: string;
  leakyreluAlpha?: number;
}

/**
 * _FusedMatMul: activation(op(a)·op(b) + bias). A bias of one value per output column (the dense-layer case)
 * is written into every output row first and the GEMM accumulates onto it (beta = 1), so it costs no extra
 * pass; any other broadcastable bias is added by wasm's Add. The activation runs as wasm's own kernel.
 */
export function nativeFusedMatMul(blas: CblasLibrary, heap: WasmHeap, inputs: FusedMatMulInputs, attrs: FusedMatMulAttrs): tf.TensorInfo {
  const { a, b, bias, preluActivationWeights } = inputs;
  const g = geometry(a, b, attrs.transposeA, attrs.transposeB);
  let out = heap.alloc(g.outShape);
  const rowBias = bias != null && tf.util.sizeFromShape(bias.shape) === g.n && bias.shape.slice(0, -1).every((d) => d === 1) && bias.shape.length <= g.outShape.length;
  if (rowBias && g.n > 0) {
    const biasView = heap.f32(bias);
    const cv = heap.f32(out);
    const rows = cv.length / g.n;
    for (let r = 0; r < rows; r++) cv.set(biasView, r * g.n);
  }
  gemmInto(blas, heap, a, b, out, g, attrs.transposeA, attrs.transposeB, rowBias ? 1 : 0);
  if (bias != null && !rowBias) {
    const summed = heap.run('Add', { a: out, b: bias });
    heap.free(out);
    out = summed;
  }
  const act = activationKernel(attrs.activation ?? 'linear', out, preluActivationWeights, attrs.leakyreluAlpha);
  if (act == null) return out;
  const activated = heap.run(...act);
  heap.free(out);
  return activated;
}
