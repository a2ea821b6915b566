import type * as tf from '@tensorflow/tfjs-core';
import type { CblasLibrary } from '../cblas-library.js';
import type { WasmHeap } from '../wasm-heap.js';

/**
 * Row range [start, end) of each expert from a plan's offsets [E + 1], clamped to the row count so a bad
 * table cannot overrun; the last expert's block runs to the end (dropless plans park unrouted rows there).
 * Same convention as @moe/kernels' host kernels, so native and wasm results agree on every table.
 */
function expertRanges(offsets: Int32Array, rows: number): { start: Int32Array; end: Int32Array } {
  const E = offsets.length - 1;
  const start = new Int32Array(Math.max(E, 0));
  const end = new Int32Array(Math.max(E, 0));
  for (let e = 0; e < E; e++) {
    start[e] = Math.min(Math.max(offsets[e], 0), rows);
    end[e] = e === E - 1 ? rows : Math.min(Math.max(offsets[e + 1], start[e]), rows);
  }
  return { start, end };
}

/** Whether the ranges tile [0, rows) exactly (always, for a plan), so no output row is left unwritten. */
function tilesAllRows(start: Int32Array, end: Int32Array, rows: number): boolean {
  if (start.length === 0) return rows === 0;
  if (start[0] !== 0) return false;
  for (let e = 1; e < start.length; e++) if (start[e] !== end[e - 1]) return false;
  return end[end.length - 1] === rows;
}

function checkExpertCount(kernel: string, offsets: tf.TensorInfo, experts: number): void {
  if (offsets.shape.length !== 1 || offsets.shape[0] !== experts + 1) {
    throw new Error(`native ${kernel}: offsets must have shape [${experts + 1}] (E + 1 for E = ${experts} experts); got [${offsets.shape}]`);
  }
}

/**
 * y [rows, q] with block e = x_e · W_e (or x_e · W_eᵀ with transposeW): one GEMM per expert on the heap,
 * each reading its rows of x and its weight block in place (no per-expert copies, no weight cache).
 */
export function nativeGroupedMatMul(blas: CblasLibrary, heap: WasmHeap, x: tf.TensorInfo, w: tf.TensorInfo, offsets: tf.TensorInfo, transposeW: boolean): tf.TensorInfo {
  const [rows, p] = x.shape;
  const [E, w1, w2] = w.shape;
  checkExpertCount('MoeGroupedMatMul', offsets, E);
  const wp = transposeW ? w2 : w1;
  const q = transposeW ? w1 : w2;
  if (wp !== p) throw new Error(`native MoeGroupedMatMul: x has ${p} columns but each expert weight has ${wp} input rows (w [${w.shape}], transposeW=${transposeW})`);
  const { start, end } = expertRanges(heap.i32(offsets), rows);
  const out = heap.alloc([rows, q]);
  const xv = heap.f32(x);
  const wv = heap.f32(w);
  const yv = heap.f32(out);
  if (!tilesAllRows(start, end, rows)) yv.fill(0);
  for (let e = 0; e < E; e++) {
    const m = end[e] - start[e];
    if (m <= 0) continue;
    if (p === 0) { yv.fill(0, start[e] * q, end[e] * q); continue; }
    blas.sgemm(false, transposeW, m, q, p, 1, xv.subarray(start[e] * p), p, wv.subarray(e * p * q), transposeW ? p : q, 0, yv.subarray(start[e] * q), q);
  }
  return out;
}

/** dW [E, p, q] with block e = a_eᵀ · b_e over expert e's rows (the weight gradient); zero for an expert with no rows. */
export function nativeGroupedMatMulWeightGrad(blas: CblasLibrary, heap: WasmHeap, a: tf.TensorInfo, b: tf.TensorInfo, offsets: tf.TensorInfo): tf.TensorInfo {
  const [rows, p] = a.shape;
  const q = b.shape[1];
  if (b.shape[0] !== rows) throw new Error(`native MoeGroupedMatMulWeightGrad: a and b must have the same rows; got [${a.shape}] and [${b.shape}]`);
  const E = offsets.shape[0] - 1;
  checkExpertCount('MoeGroupedMatMulWeightGrad', offsets, E);
  const { start, end } = expertRanges(heap.i32(offsets), rows);
  const out = heap.alloc([E, p, q]);
  const av = heap.f32(a);
  const bv = heap.f32(b);
  const gv = heap.f32(out);
  for (let e = 0; e < E; e++) {
    const k = end[e] - start[e];
    if (k <= 0 || p === 0 || q === 0) {
      gv.fill(0, e * p * q, (e + 1) * p * q);
      continue;
    }
    blas.sgemm(true, false, p, q, k, 1, av.subarray(start[e] * p), p, bv.subarray(start[e] * q), q, 0, gv.subarray(e * p * q), q);
  }
  return out;
}
