import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { useBackend, expectClose } from '@moe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingTable } from './sparse-embedding.js';

/** Dense reference: tfjs optimizer on a whole-table variable whose gradient comes from tf.gather's (dense) gradient. */
async function denseSteps(initial: Float32Array, rows: number, dim: number, ids: number[], grads: number[][], optimizer: tf.Optimizer): Promise<Float32Array> {
  const table = tf.variable(tf.tensor2d(initial, [rows, dim]));
  const idx = tf.tensor1d(ids, 'int32');
  for (const g of grads) {
    const weights = tf.tensor2d(g, [ids.length, dim]);
    const { grads: named } = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, idx), weights)) as tf.Scalar, [table]);
    optimizer.applyGradients(named);
    tf.dispose([weights, ...Object.values(named)]);
  }
  const out = (await table.data()) as Float32Array;
  tf.dispose([table, idx]);
  optimizer.dispose();
  return out;
}

describe('row-sparse embedding table', () => {
  beforeAll(async () => useBackend('cpu'));
  const rows = 10;
  const dim = 3;
  // Batch of 3 rows: one field (ids 2, 5, 2 — a duplicate) and a 2-slot sequence (7, pad | 5, pad | pad, pad).
  const fieldIds = Int32Array.from([2, 5, 2]);
  const seqIds = Int32Array.from([7, -1, 5, -1, -1, -1]);
  const occurrences = [2, 5, 2, 7, 5];
  const stepGrads = (s: number) => {
    const dFields = Float32Array.from({ length: 9 }, (_, i) => Math.sin(i + s) * 0.5);
    const dSeq = Float32Array.from({ length: 18 }, (_, i) => Math.cos(i * 1.3 + s) * 0.5);
    // Occurrence-order gradients for the dense reference (sequence padding contributes nothing).
    const perOcc = [0, 1, 2].map((b) => Array.from(dFields.subarray(b * 3, b * 3 + 3)));
    perOcc.push(Array.from(dSeq.subarray(0, 3)), Array.from(dSeq.subarray(6, 9)));
    return { dFields, dSeq, dense: perOcc.flat() };
  };

  it('gathers the batch rows and updates only those rows', () => {
    const table = new EmbeddingTable(rows, dim, 7);
    const before = table.data.slice();
    const g = table.gather(fieldIds, seqIds);
    expect(Array.from(g.unique).sort()).toEqual([2, 5, 7]);
    expect(Array.from(g.fields.subarray(3, 6))).toEqual(Array.from(before.subarray(15, 18)));
    expect(Array.from(g.seqMask)).toEqual([1, 0, 1, 0, 0, 0]);
    const { dFields, dSeq } = stepGrads(0);
    table.step(g, dFields, dSeq, { kind: 'adam', learningRate: 0.1 });
    for (let r = 0; r < rows; r++) {
      const changed = [0, 1, 2].some((k) => table.data[r * dim + k] !== before[r * dim + k]);
      expect(changed, `row ${r}`).toBe([2, 5, 7].includes(r));
    }
    expect(() => table.gather(Int32Array.from([10]), new Int32Array(0))).toThrow(/row 10 outside \[0, 10\)/);
  });

  it('matches a dense Adagrad update over several steps', async () => {
    const table = new EmbeddingTable(rows, dim, 7);
    const initial = table.data.slice();
    const all = [0, 1, 2].map(stepGrads);
    for (const s of all) table.step(table.gather(fieldIds, seqIds), s.dFields, s.dSeq, { kind: 'adagrad', learningRate: 0.1 });
    const dense = await denseSteps(initial, rows, dim, occurrences, all.map((s) => s.dense), tf.train.adagrad(0.1));
    await expectClose(table.data, dense, { atol: 1e-5, rtol: 1e-4 }, 'sparse vs dense adagrad');
  });

  it('matches dense Adam while the same rows are touched each step', async () => {
    const table = new EmbeddingTable(rows, dim, 7);
    const initial = table.data.slice();
    const all = [0, 1, 2].map(stepGrads);
    for (const s of all) table.step(table.gather(fieldIds, seqIds), s.dFields, s.dSeq, { kind: 'adam', learningRate: 0.05 });
    const dense = await denseSteps(initial, rows, dim, occurrences, all.map((s) => s.dense), tf.train.adam(0.05));
    await expectClose(table.data, dense, { atol: 1e-5, rtol: 1e-4 }, 'sparse vs dense adam');
  });
});
