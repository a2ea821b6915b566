import type * as tf from '@tensorflow/tfjs-core';
import type { HostTensors } from './host-tensors.js';
import { blocksAreCached, expertBlocks } from './expert-block-cache.js';

// Kernel bodies for backends whose tensors live in host memory (cpu, wasm). Index bookkeeping is O(T·k);
// row moves are TypedArray.set (memcpy); the matmuls run on the backend's own BatchMatMul (XNNPACK on wasm).

type Info = tf.TensorInfo;

/** positions, offsets, counts, dropped, rowSlots: see DispatchPlan. Throws on ids outside [-1, E). */
export function hostDispatchPlan(io: HostTensors, indices: Info, numExperts: number, capacity: number): Info[] {
  const [T, k] = indices.shape;
  const E = numExperts;
  const dropless = capacity < 0;
  const rows = dropless ? T * k : E * capacity;
  const outs = [io.alloc([T, k], 'int32'), io.alloc([E + 1], 'int32'), io.alloc([E], 'int32'), io.alloc([], 'int32'), io.alloc([rows], 'int32')];
  const [positions, offsets, counts, dropped, rowSlots] = outs.map((t) => io.view(t));
  const ids = io.view(indices);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < -1 || ids[i] >= E || !Number.isInteger(ids[i])) {
      outs.forEach((t) => io.free(t));
      throw new Error(`computeDispatchPlan: indices[${Math.floor(i / k)},${i % k}] is ${ids[i]}; expert ids must be in [-1, ${E}) (numExperts = ${E})`);
    }
  }
  const received = new Int32Array(E);
  for (let i = 0; i < ids.length; i++) if (ids[i] >= 0) received[ids[i]]++;
  const start = new Int32Array(E + 1);
  for (let e = 0; e < E; e++) start[e + 1] = start[e] + (dropless ? received[e] : capacity);
  const filled = new Int32Array(E);
  rowSlots.fill(-1);
  let nDropped = 0;
  // Choice-major: all first choices in token order, then all second choices… (drop priority).
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < T; t++) {
      const slot = t * k + j;
      const e = ids[slot];
      if (e < 0) { positions[slot] = -1; continue; }
      if (!dropless && filled[e] >= capacity) { positions[slot] = -1; nDropped++; continue; }
      const row = start[e] + filled[e]++;
      positions[slot] = row;
      rowSlots[row] = slot;
    }
  }
  offsets.set(start);
  offsets[E] = rows;
  counts.set(filled);
  dropped[0] = nDropped;
  return outs;
}

export function hostDispatch(io: HostTensors, x: Info, rowSlots: Info, k: number): Info {
  const rows = rowSlots.shape[0];
  const d = x.shape[1];
  const out = io.alloc([rows, d], 'float32');
  const o = io.view(out);
  const xs = io.view(x);
  const slots = io.view(rowSlots);
  for (let r = 0; r < rows; r++) {
    const s = slots[r];
    if (s < 0) continue;
    const t = Math.floor(s / k);
    o.set(xs.subarray(t * d, t * d + d), r * d);
  }
  return out;
}

export function hostCombine(io: HostTensors, expertOut: Info, weights: Info, positions: Info): Info {
  const [T, k] = positions.shape;
  const h = expertOut.shape[1];
  const out = io.alloc([T, h], 'float32');
  const o = io.view(out);
  const e = io.view(expertOut);
  const w = io.view(weights);
  const pos = io.view(positions);
  for (let t = 0; t < T; t++) {
    const base = t * h;
    for (let j = 0; j < k; j++) {
      const p = pos[t * k + j];
      if (p < 0) continue;
      const wt = w[t * k + j];
      const src = p * h;
      for (let c = 0; c < h; c++) o[base + c] += wt * e[src + c];
    }
  }
  return out;
}

export function hostCombineWeightGrad(io: HostTensors, dy: Info, expertOut: Info, positions: Info): Info {
  const [T, k] = positions.shape;
  const h = expertOut.shape[1];
  const out = io.alloc([T, k], 'float32');
  const o = io.view(out);
  const g = io.view(dy);
  const e = io.view(expertOut);
  const pos = io.view(positions);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < k; j++) {
      const p = pos[t * k + j];
      if (p < 0) continue;
      let acc = 0;
      for (let c = 0; c < h; c++) acc += g[t * h + c] * e[p * h + c];
      o[t * k + j] = acc;
    }
  }
  return out;
}

/** Expert blocks [start, end) read from offsets, clamped to the row count so bad tables cannot overrun. */
function expertRowRanges(io: HostTensors, offsets: Info, rows: number): [number, number][] {
  const off = Array.from(io.view(offsets));
  const out: [number, number][] = [];
  for (let e = 0; e + 1 < off.length; e++) {
    const s = Math.min(Math.max(off[e], 0), rows);
    const end = e + 2 === off.length ? rows : Math.min(Math.max(off[e + 1], s), rows);
    out.push([s, end]);
  }
  return out;
}

/** Copies rows [s, end) of a [rows, cols] tensor into a new [end - s, cols] tensor. */
function sliceRows(io: HostTensors, t: Info, s: number, end: number): Info {
  const cols = t.shape[1];
  const part = io.alloc([end - s, cols], t.dtype as 'float32', false);
  io.view(part).set(io.view(t).subarray(s * cols, end * cols));
  return part;
}

/** Copies block e of a [E, a, b] tensor into a new [a, b] tensor. */
function sliceBlock(io: HostTensors, t: Info, e: number): Info {
  const [, a, b] = t.shape;
  const part = io.alloc([a, b], 'float32', false);
  io.view(part).set(io.view(t).subarray(e * a * b, (e + 1) * a * b));
  return part;
}

export function hostGroupedMatMul(io: HostTensors, x: Info, w: Info, offsets: Info, transposeW: boolean): Info {
  const rows = x.shape[0];
  const q = transposeW ? w.shape[1] : w.shape[2];
  const ranges = expertRowRanges(io, offsets, rows);
  // The expert blocks tile [0, rows) whenever offsets[0] = 0 (always, for a plan), so skip the zero fill then.
  const out = io.alloc([rows, q], 'float32', ranges.length === 0 || ranges[0][0] !== 0);
  // Each expert's weight as an untransposed [p, q] block: XNNPACK serves only untransposed operands.
  const weights = expertBlocks(io, io.backend, w, transposeW, (e) => {
    const block = sliceBlock(io, w, e);
    if (!transposeW) return block;
    const flipped = io.run('Transpose', { x: block }, { perm: [1, 0] });
    io.free(block);
    return flipped;
  });
  ranges.forEach(([s, end], e) => {
    if (end <= s) return;
    const xe = sliceRows(io, x, s, end);
    const ye = io.run('BatchMatMul', { a: xe, b: weights[e] }, { transposeA: false, transposeB: false });
    io.view(out).set(io.view(ye), s * q);
    io.free(xe);
    io.free(ye);
  });
  if (!blocksAreCached(io)) weights.forEach((t) => io.free(t));
  return out;
}

export function hostGroupedMatMulWeightGrad(io: HostTensors, a: Info, b: Info, offsets: Info): Info {
  const rows = a.shape[0];
  const p = a.shape[1];
  const q = b.shape[1];
  const E = offsets.shape[0] - 1;
  const out = io.alloc([E, p, q], 'float32', false);
  expertRowRanges(io, offsets, rows).forEach(([s, end], e) => {
    if (end <= s) {
      io.view(out).fill(0, e * p * q, (e + 1) * p * q); // an expert with no rows gets a zero gradient
      return;
    }
    const ae = sliceRows(io, a, s, end);
    const be = sliceRows(io, b, s, end);
    const ge = io.run('BatchMatMul', { a: ae, b: be }, { transposeA: true, transposeB: false });
    io.view(out).set(io.view(ge), e * p * q);
    [ae, be, ge].forEach((t) => io.free(t));
  });
  return out;
}
