import type * as tf from '@tensorflow/tfjs-core';
import { elementwiseProgram, intUniforms, type WebGpuBackendLike } from './webgpu-program.js';

// WGSL kernels of the MoE ops: one invocation per output element, no atomics (every output element has
// exactly one writer, so results are deterministic), all sizes passed as uniforms so one pipeline serves
// every shape.

type Info = tf.TensorInfo;

/** Row r of the expert-ordered buffer = x[rowSlots[r] / k], or zero for an empty row. */
export function webgpuDispatch(backend: WebGpuBackendLike, x: Info, rowSlots: Info, k: number): Info {
  const rows = rowSlots.shape[0];
  const d = x.shape[1];
  const program = elementwiseProgram('moeDispatch', ['X', 'RowSlots'], [rows, d], ['k', 'd'], `
          let r = index / uniforms.d;
          let c = index - r * uniforms.d;
          let slot = RowSlots[r];
          var v = 0.0;
          if (slot >= 0) {
            v = X[(slot / uniforms.k) * uniforms.d + c];
          }
          setOutputAtIndex(index, v);`);
  return backend.runWebGPUProgram(program, [x, rowSlots], 'float32', intUniforms([k, d]));
}

/** out[t, c] = Σ_j weights[t, j] · expertOut[positions[t, j], c] over slots with a position. */
export function webgpuCombine(backend: WebGpuBackendLike, expertOut: Info, weights: Info, positions: Info): Info {
  const [T, k] = positions.shape;
  const h = expertOut.shape[1];
  const program = elementwiseProgram('moeCombine', ['ExpertOut', 'Weights', 'Positions'], [T, h], ['k', 'h'], `
          let t = index / uniforms.h;
          let c = index - t * uniforms.h;
          var acc = 0.0;
          for (var j = 0; j < uniforms.k; j++) {
            let p = Positions[t * uniforms.k + j];
            if (p >= 0) {
              acc = acc + Weights[t * uniforms.k + j] * ExpertOut[p * uniforms.h + c];
            }
          }
          setOutputAtIndex(index, acc);`);
  return backend.runWebGPUProgram(program, [expertOut, weights, positions], 'float32', intUniforms([k, h]));
}

/** out[t, j] = ⟨dy[t], expertOut[positions[t, j]]⟩, zero for slots without a position. */
export function webgpuCombineWeightGrad(backend: WebGpuBackendLike, dy: Info, expertOut: Info, positions: Info): Info {
  const [T, k] = positions.shape;
  const h = expertOut.shape[1];
  const program = elementwiseProgram('moeCombineWeightGrad', ['Dy', 'ExpertOut', 'Positions'], [T, k], ['k', 'h'], `
          let t = index / uniforms.k;
          let p = Positions[index];
          var acc = 0.0;
          if (p >= 0) {
            for (var c = 0; c < uniforms.h; c++) {
              acc = acc + Dy[t * uniforms.h + c] * ExpertOut[p * uniforms.h + c];
            }
          }
          setOutputAtIndex(index, acc);`);
  return backend.runWebGPUProgram(program, [dy, expertOut, positions], 'float32', intUniforms([k, h]));
}

/** WGSL that sets `e` to the expert owning row `r`: the number of block starts offsets[1..E-1] ≤ r. */
const EXPERT_OF_ROW = `
          var e = 0;
          for (var i = 1; i < uniforms.numExperts; i++) {
            if (Offsets[i] <= r) { e = i; }
          }`;

/** out[r, c] = Σ_i x[r, i] · w[e(r), i, c] (or w[e(r), c, i] when transposeW), e(r) from the offsets. */
export function webgpuGroupedMatMul(backend: WebGpuBackendLike, x: Info, w: Info, offsets: Info, transposeW: boolean): Info {
  const [rows, p] = x.shape;
  const E = w.shape[0];
  const q = transposeW ? w.shape[1] : w.shape[2];
  const weightAt = transposeW ? 'W[base + c * uniforms.p + i]' : 'W[base + i * uniforms.q + c]';
  const program = elementwiseProgram(`moeGroupedMatMul_${transposeW ? 'T' : 'N'}`, ['X', 'W', 'Offsets'], [rows, q], ['p', 'q', 'numExperts'], `
          let r = index / uniforms.q;
          let c = index - r * uniforms.q;
          ${EXPERT_OF_ROW}
          let base = e * uniforms.p * uniforms.q;
          let xRow = r * uniforms.p;
          var acc = 0.0;
          for (var i = 0; i < uniforms.p; i++) {
            acc = acc + X[xRow + i] * ${weightAt};
          }
          setOutputAtIndex(index, acc);`);
  return backend.runWebGPUProgram(program, [x, w, offsets], 'float32', intUniforms([p, q, E]));
}

/** out[e, i, c] = Σ_{r in block e} a[r, i] · b[r, c]; the last block runs to the end of the rows. */
export function webgpuGroupedMatMulWeightGrad(backend: WebGpuBackendLike, a: Info, b: Info, offsets: Info): Info {
  const [rows, p] = a.shape;
  const q = b.shape[1];
  const E = offsets.shape[0] - 1;
  const program = elementwiseProgram('moeGroupedMatMulWeightGrad', ['A', 'B', 'Offsets'], [E, p, q], ['p', 'q', 'numExperts', 'rows'], `
          let e = index / (uniforms.p * uniforms.q);
          let rest = index - e * uniforms.p * uniforms.q;
          let i = rest / uniforms.q;
          let c = rest - i * uniforms.q;
          let start = clamp(Offsets[e], 0, uniforms.rows);
          var end = uniforms.rows;
          if (e + 1 < uniforms.numExperts) { end = clamp(Offsets[e + 1], start, uniforms.rows); }
          var acc = 0.0;
          for (var r = start; r < end; r++) {
            acc = acc + A[r * uniforms.p + i] * B[r * uniforms.q + c];
          }
          setOutputAtIndex(index, acc);`);
  return backend.runWebGPUProgram(program, [a, b, offsets], 'float32', intUniforms([p, q, E, rows]));
}
