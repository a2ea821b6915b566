import type * as tf from '@tensorflow/tfjs-core';
import { elementwiseProgram, intUniforms, PER, THREADS, tiledProgram, TILE, type WebGpuBackendLike } from './webgpu-program.js';

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

/** WGSL helper: the expert owning row r, i.e. the number of block starts offsets[1..E-1] that are ≤ r. */
const EXPERT_OF = `
      fn expertOf(r : i32) -> i32 {
        var e = 0;
        for (var i = 1; i < uniforms.numExperts; i++) {
          if (Offsets[i] <= r) { e = i; }
        }
        return e;
      }`;

/** WGSL: stage the TILE×TILE block `tileVar[a][b] = value(a, b)` cooperatively (each invocation its share). */
function stageTile(tileVar: string, valueOf: (a: string, b: string) => string): string {
  return `
            for (var j = 0; j < ${(TILE * TILE) / THREADS}; j++) {
              let idx = lid + j * ${THREADS};
              let ta = idx / ${TILE};
              let tb = idx - ta * ${TILE};
              ${tileVar}[idx] = ${valueOf('ta', 'tb')};
            }`;
}

/** WGSL: acc[i·PER + j] += Σ_kk lhs(row block i, kk) · rhs(kk, col block j) over the staged tiles. */
function accumulateTiles(lhs: (i: string, kk: string) => string, rhs: (kk: string, j: string) => string): string {
  return `
            for (var kk = 0; kk < ${TILE}; kk++) {
              var a : array<f32, ${PER}>;
              var b : array<f32, ${PER}>;
              for (var i = 0; i < ${PER}; i++) { a[i] = ${lhs(`ty * ${PER} + i`, 'kk')}; }
              for (var j = 0; j < ${PER}; j++) { b[j] = ${rhs('kk', `tx * ${PER} + j`)}; }
              for (var i = 0; i < ${PER}; i++) {
                for (var j = 0; j < ${PER}; j++) { acc[i * ${PER} + j] = acc[i * ${PER} + j] + a[i] * b[j]; }
              }
            }`;
}

/** WGSL: the invocation's place in its workgroup and the tile's place in the output. */
const TILE_PRELUDE = `
        let lid = index % ${THREADS};
        let tile = index / ${THREADS};
        let ty = lid / ${TILE / PER};
        let tx = lid - ty * ${TILE / PER};
        var acc : array<f32, ${PER * PER}>;`;

/**
 * out[r, c] = Σ_i x[r, i] · w[e(r), i, c] (w[e(r), c, i] when transposeW), e(r) from the offsets.
 * Tiled as a register-blocked matmul. A tile of rows may straddle expert blocks, so the workgroup loops
 * over the experts present in it (usually one, at most a few), zeroing the x rows of other experts: every
 * output still has exactly one writer, so no atomics and deterministic results.
 */
export function webgpuGroupedMatMul(backend: WebGpuBackendLike, x: Info, w: Info, offsets: Info, transposeW: boolean): Info {
  const [rows, p] = x.shape;
  const E = w.shape[0];
  const q = transposeW ? w.shape[1] : w.shape[2];
  const tilesM = Math.ceil(rows / TILE);
  const tilesN = Math.ceil(q / TILE);
  const weightAt = (k: string, c: string) => (transposeW ? `W[e * uniforms.p * uniforms.q + (${c}) * uniforms.p + ${k}]` : `W[e * uniforms.p * uniforms.q + (${k}) * uniforms.q + ${c}]`);
  const program = tiledProgram(`moeGroupedMatMulTiled_${transposeW ? 'T' : 'N'}`, ['X', 'W', 'Offsets'], [rows, q], tilesM * tilesN, ['p', 'q', 'numExperts', 'rows', 'tilesN'], `
      var<workgroup> xTile : array<f32, ${TILE * TILE}>;
      var<workgroup> wTile : array<f32, ${TILE * TILE}>;
      var<workgroup> firstExpert : i32;
      var<workgroup> lastExpert : i32;
      ${EXPERT_OF}
      fn main(index : i32) {
        ${TILE_PRELUDE}
        let tm = tile / uniforms.tilesN;
        let tn = tile - tm * uniforms.tilesN;
        let rowBase = tm * ${TILE};
        let colBase = tn * ${TILE};
        if (lid == 0) {
          firstExpert = expertOf(rowBase);
          lastExpert = expertOf(min(rowBase + ${TILE - 1}, uniforms.rows - 1));
        }
        // Uniform loads make the expert loop (and so its barriers) workgroup-uniform.
        let eFirst = workgroupUniformLoad(&firstExpert);
        let eLast = workgroupUniformLoad(&lastExpert);
        for (var e = eFirst; e <= eLast; e++) {
          let start = Offsets[e];
          var end = uniforms.rows;
          if (e + 1 < uniforms.numExperts) { end = min(Offsets[e + 1], uniforms.rows); }
          for (var k0 = 0; k0 < uniforms.p; k0 += ${TILE}) {
            ${stageTile('xTile', (ta, tb) => `select(0.0, X[(rowBase + ${ta}) * uniforms.p + k0 + ${tb}], rowBase + ${ta} >= start && rowBase + ${ta} < end && k0 + ${tb} < uniforms.p)`)}
            ${stageTile('wTile', (ta, tb) => `select(0.0, ${weightAt(`k0 + ${ta}`, `colBase + ${tb}`)}, k0 + ${ta} < uniforms.p && colBase + ${tb} < uniforms.q)`)}
            workgroupBarrier();
            ${accumulateTiles((i, kk) => `xTile[(${i}) * ${TILE} + ${kk}]`, (kk, j) => `wTile[${kk} * ${TILE} + ${j}]`)}
            workgroupBarrier();
          }
        }
        for (var i = 0; i < ${PER}; i++) {
          let r = rowBase + ty * ${PER} + i;
          for (var j = 0; j < ${PER}; j++) {
            let c = colBase + tx * ${PER} + j;
            if (r < uniforms.rows && c < uniforms.q) { setOutputAtIndex(r * uniforms.q + c, acc[i * ${PER} + j]); }
          }
        }
      }`);
  return backend.runWebGPUProgram(program, [x, w, offsets], 'float32', intUniforms([p, q, E, rows, tilesN]));
}

/**
 * out[e, i, c] = Σ_{r in block e} a[r, i] · b[r, c]; the last block runs to the end of the rows. One
 * workgroup per (expert, TILE×TILE tile of [p, q]), walking that expert's rows TILE at a time.
 */
export function webgpuGroupedMatMulWeightGrad(backend: WebGpuBackendLike, a: Info, b: Info, offsets: Info): Info {
  const [rows, p] = a.shape;
  const q = b.shape[1];
  const E = offsets.shape[0] - 1;
  const tilesP = Math.ceil(p / TILE);
  const tilesQ = Math.ceil(q / TILE);
  const program = tiledProgram('moeGroupedMatMulWeightGradTiled', ['A', 'B', 'Offsets'], [E, p, q], E * tilesP * tilesQ, ['p', 'q', 'numExperts', 'rows', 'tilesP', 'tilesQ'], `
      var<workgroup> aTile : array<f32, ${TILE * TILE}>;
      var<workgroup> bTile : array<f32, ${TILE * TILE}>;
      var<workgroup> blockStart : i32;
      var<workgroup> blockEnd : i32;
      fn main(index : i32) {
        ${TILE_PRELUDE}
        let e = tile / (uniforms.tilesP * uniforms.tilesQ);
        let rest = tile - e * uniforms.tilesP * uniforms.tilesQ;
        let tp = rest / uniforms.tilesQ;
        let iBase = tp * ${TILE};
        let cBase = (rest - tp * uniforms.tilesQ) * ${TILE};
        if (lid == 0) {
          let s = clamp(Offsets[e], 0, uniforms.rows);
          var end = uniforms.rows;
          if (e + 1 < uniforms.numExperts) { end = clamp(Offsets[e + 1], s, uniforms.rows); }
          blockStart = s;
          blockEnd = end;
        }
        let start = workgroupUniformLoad(&blockStart);
        let stop = workgroupUniformLoad(&blockEnd);
        for (var r0 = start; r0 < stop; r0 += ${TILE}) {
          // aTile[rr][ii] = a[r0 + rr, iBase + ii];  bTile[rr][cc] = b[r0 + rr, cBase + cc]
          ${stageTile('aTile', (ta, tb) => `select(0.0, A[(r0 + ${ta}) * uniforms.p + iBase + ${tb}], r0 + ${ta} < stop && iBase + ${tb} < uniforms.p)`)}
          ${stageTile('bTile', (ta, tb) => `select(0.0, B[(r0 + ${ta}) * uniforms.q + cBase + ${tb}], r0 + ${ta} < stop && cBase + ${tb} < uniforms.q)`)}
          workgroupBarrier();
          ${accumulateTiles((i, kk) => `aTile[${kk} * ${TILE} + ${i}]`, (kk, j) => `bTile[${kk} * ${TILE} + ${j}]`)}
          workgroupBarrier();
        }
        for (var i = 0; i < ${PER}; i++) {
          let ii = iBase + ty * ${PER} + i;
          for (var j = 0; j < ${PER}; j++) {
            let c = cBase + tx * ${PER} + j;
            if (ii < uniforms.p && c < uniforms.q) { setOutputAtIndex((e * uniforms.p + ii) * uniforms.q + c, acc[i * ${PER} + j]); }
          }
        }
      }`);
  return backend.runWebGPUProgram(program, [a, b, offsets], 'float32', intUniforms([p, q, E, rows, tilesP, tilesQ]));
}
