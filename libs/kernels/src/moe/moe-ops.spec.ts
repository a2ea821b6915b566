import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { clearExpertBlockCache, combine, computeDispatchPlan, disposeDispatchPlan, dispatch, groupedMatMul, type DispatchPlan } from '../index.js';
import { combineComposite, dispatchComposite, groupedMatMulComposite } from './moe-composites.js';
import { MOE_COMBINE, MOE_DISPATCH, MOE_GROUPED_MATMUL } from './kernel-names.js';
import { runComposite } from '../util/kernel-or-composite.js';

// Routing with -1 slots and capacity drops; T = 9 tokens, E = 4 experts.
const IDS_K2 = [[0, 2], [2, 1], [2, -1], [1, 2], [2, 0], [-1, -1], [3, 1], [2, 3], [0, 2]];
const IDS_K1 = IDS_K2.map((r) => [r[0]]);
const CASES = [
  { name: 'k=2 dropless', ids: IDS_K2, capacity: undefined },
  { name: 'k=2 capacity 2 (drops)', ids: IDS_K2, capacity: 2 },
  { name: 'k=1 capacity 3', ids: IDS_K1, capacity: 3 },
];
const E = 4;

function seeded(shape: [number, number], seed: number): tf.Tensor2D {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}
function seeded3(shape: [number, number, number], seed: number): tf.Tensor3D {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** JS reference of combine(dispatch(x)) with weights: what every backend must compute. */
async function referenceRoundTrip(x: tf.Tensor, w: tf.Tensor, plan: DispatchPlan): Promise<Float32Array> {
  const xs = await x.data();
  const ws = await w.data();
  const pos = await plan.positions.data();
  const [T, d] = x.shape;
  const out = new Float32Array(T * d);
  for (let t = 0; t < T; t++) for (let j = 0; j < plan.k; j++) {
    if (pos[t * plan.k + j] < 0) continue;
    for (let c = 0; c < d; c++) out[t * d + c] += ws[t * plan.k + j] * xs[t * d + c];
  }
  return out;
}

describeEachBackend('dispatch / combine / groupedMatMul', () => {
  for (const c of CASES) {
    it(`${c.name}: forward matches composite and JS reference; gradients match finite differences`, async () => {
      const indices = tf.tensor2d(c.ids, undefined, 'int32');
      const T = c.ids.length;
      const k = c.ids[0].length;
      const x = seeded([T, 5], 1);
      const weights: tf.Tensor2D = tf.randomUniform([T, k], 0.1, 1, 'float32', 2);
      const plan = computeDispatchPlan(indices, E, { capacity: c.capacity });
      await expectNoLeaks(async () => {
        expect(tf.getKernel(MOE_DISPATCH, tf.getBackend())).toBeDefined();
        expect(tf.getKernel(MOE_COMBINE, tf.getBackend())).toBeDefined();
        expect(tf.getKernel(MOE_GROUPED_MATMUL, tf.getBackend())).toBeDefined();
        const rows = dispatch(x, plan);
        expect(rows.shape).toEqual([plan.rows, 5]);
        const rowsRef = dispatchComposite(x, plan.rowSlots, k);
        await expectClose(rows, rowsRef, {}, 'dispatch');
        const back = combine(rows, weights, plan);
        await expectClose(back, await referenceRoundTrip(x, weights, plan), {}, 'combine(dispatch(x))');
        const expertOut = seeded([plan.rows, 3], 3);
        const combined = combine(expertOut, weights, plan);
        const combinedRef = combineComposite(expertOut, weights, plan.positions);
        await expectClose(combined, combinedRef, {}, 'combine');
        tf.dispose([rows, rowsRef, back, expertOut, combined, combinedRef]);
      });
      await expectNoLeaks(async () => {
        await checkGradients((a) => dispatch(a as tf.Tensor2D, plan), [x]);
        const expertOut = seeded([plan.rows, 3], 4);
        await checkGradients((e, w) => combine(e as tf.Tensor2D, w as tf.Tensor2D, plan), [expertOut, weights]);
        // The composite fallback differentiates through the same registered gradients.
        await checkGradients((e, w) => runComposite(MOE_COMBINE, { expertOut: e, weights: w, positions: plan.positions, rowSlots: plan.rowSlots }, {},
          (i) => combineComposite(i.expertOut, i.weights, i.positions)), [expertOut, weights]);
        await checkGradients((a) => runComposite(MOE_DISPATCH, { x: a, rowSlots: plan.rowSlots, positions: plan.positions }, { k },
          (i) => dispatchComposite(i.x, i.rowSlots, k)), [x]);
        expertOut.dispose();
      });
      disposeDispatchPlan(plan);
      tf.dispose([indices, x, weights]);
    });
  }

  for (const c of CASES) {
    it(`${c.name}: groupedMatMul matches per-block matmuls and finite differences`, async () => {
      const indices = tf.tensor2d(c.ids, undefined, 'int32');
      const plan = computeDispatchPlan(indices, E, { capacity: c.capacity });
      const x = seeded([plan.rows, 6], 5);
      const w = seeded3([E, 6, 3], 6);
      const wt = seeded3([E, 3, 6], 7);
      const offsets = Array.from(await plan.offsets.data());
      await expectNoLeaks(async () => {
        const y = groupedMatMul(x as tf.Tensor2D, w as tf.Tensor3D, plan);
        // Reference: each block of rows times its own expert's weight, concatenated.
        const ref = tf.tidy(() => tf.concat(offsets.slice(0, E).map((s, e) => {
          const end = e === E - 1 ? plan.rows : offsets[e + 1];
          return tf.matMul(tf.slice(x, [s, 0], [end - s, 6]), tf.reshape(tf.slice(w, [e, 0, 0], [1, 6, 3]), [6, 3]));
        })));
        await expectClose(y, ref, { atol: 1e-5 }, 'groupedMatMul');
        const composite = groupedMatMulComposite(x, w, plan.offsets, false);
        await expectClose(composite, ref, { atol: 1e-5 }, 'groupedMatMul composite');
        const yt = groupedMatMul(x as tf.Tensor2D, wt as tf.Tensor3D, plan.offsets, { transposeW: true });
        const ytRef = groupedMatMulComposite(x, wt, plan.offsets, true);
        await expectClose(yt, ytRef, { atol: 1e-5 }, 'groupedMatMul transposeW');
        tf.dispose([y, ref, composite, yt, ytRef]);
      });
      await expectNoLeaks(async () => {
        await checkGradients((a, b) => groupedMatMul(a as tf.Tensor2D, b as tf.Tensor3D, plan), [x, w]);
        await checkGradients((a, b) => groupedMatMul(a as tf.Tensor2D, b as tf.Tensor3D, plan.offsets, { transposeW: true }), [x, wt]);
        await checkGradients((a, b) => runComposite(MOE_GROUPED_MATMUL, { x: a, w: b, offsets: plan.offsets }, { transposeW: false },
          (i) => groupedMatMulComposite(i.x, i.w, i.offsets, false)), [x, w]);
      });
      disposeDispatchPlan(plan);
      tf.dispose([indices, x, w, wt]);
    });
  }

  it('groupedMatMul and its weight gradient over several tiles (rows, p, q > 16) match the composite', async () => {
    const T = 45;
    const ids = Array.from({ length: T }, (_, t) => [(t * 5) % 3, ((t * 7) % 4) - 1]);
    const indices = tf.tensor2d(ids, undefined, 'int32');
    const plan = computeDispatchPlan(indices, 3);
    const x = seeded([plan.rows, 37], 12);
    const w = seeded3([3, 37, 20], 13);
    const dy = seeded([plan.rows, 20], 14);
    await expectNoLeaks(async () => {
      const y = groupedMatMul(x, w, plan);
      const yRef = groupedMatMulComposite(x, w, plan.offsets, false);
      await expectClose(y, yRef, { atol: 1e-4 }, 'groupedMatMul');
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(groupedMatMul(a as tf.Tensor2D, b as tf.Tensor3D, plan), dy)))([x, w]);
      const [dxRef, dwRef] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(groupedMatMulComposite(a, b, plan.offsets, false), dy)))([x, w]);
      await expectClose(dx, dxRef, { atol: 1e-4 }, 'd x');
      await expectClose(dw, dwRef, { atol: 1e-4 }, 'd w');
      tf.dispose([y, yRef, dx, dw, dxRef, dwRef]);
    });
    disposeDispatchPlan(plan);
    tf.dispose([indices, x, w, dy]);
  });

  it('groupedMatMul stays correct across calls, weight disposal and weight reuse (wasm caches expert blocks)', async () => {
    const indices = tf.tensor2d(IDS_K2, undefined, 'int32');
    const plan = computeDispatchPlan(indices, E);
    const x = seeded([plan.rows, 5], 15);
    for (let round = 0; round < 3; round++) {
      const w = seeded3([E, 5, 4], 16 + round);
      const wt = tf.transpose(w, [0, 2, 1]) as tf.Tensor3D;
      await expectNoLeaks(async () => {
        for (let call = 0; call < 2; call++) {
          const y = groupedMatMul(x, w, plan);
          const yt = groupedMatMul(x, wt, plan, { transposeW: true });
          const ref = groupedMatMulComposite(x, w, plan.offsets, false);
          await expectClose(y, ref, { atol: 1e-5 }, `round ${round} call ${call}`);
          await expectClose(yt, ref, { atol: 1e-5 }, `round ${round} call ${call} (transposeW)`);
          tf.dispose([y, yt, ref]);
        }
      });
      tf.dispose([w, wt]);
      if (round === 1) clearExpertBlockCache();
    }
    disposeDispatchPlan(plan);
    tf.dispose([indices, x]);
  });

  it('a whole MoE FFN (dispatch → grouped matmul → relu → grouped matmul → combine) differentiates', async () => {
    const indices = tf.tensor2d(IDS_K2, undefined, 'int32');
    const plan = computeDispatchPlan(indices, E, { capacity: 3 });
    const x = seeded([IDS_K2.length, 4], 8);
    const w1 = seeded3([E, 4, 5], 9);
    const w2 = seeded3([E, 5, 4], 10);
    const g = tf.randomUniform([IDS_K2.length, 2], 0.2, 1, 'float32', 11);
    const ffn = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, gate: tf.Tensor) =>
      combine(groupedMatMul(tf.relu(groupedMatMul(dispatch(a as tf.Tensor2D, plan), b as tf.Tensor3D, plan)) as tf.Tensor2D, c as tf.Tensor3D, plan), gate as tf.Tensor2D, plan);
    await expectNoLeaks(() => checkGradients(ffn, [x, w1, w2, g]));
    disposeDispatchPlan(plan);
    tf.dispose([indices, x, w1, w2, g]);
  });

  it('rejects bad arguments naming them', () => {
    const indices = tf.tensor2d(IDS_K2, undefined, 'int32');
    const plan = computeDispatchPlan(indices, E);
    const x = tf.zeros([IDS_K2.length, 3]);
    const xi = tf.zeros([IDS_K2.length, 3], 'int32');
    // The throwaway operands below are created inline; the tidy frees them.
    tf.tidy(() => {
      expect(() => dispatch(tf.zeros([3, 3]) as tf.Tensor2D, plan)).toThrow(/dispatch: x dimension 0 must be 9 \(plan.numTokens\)/);
      expect(() => dispatch(xi as tf.Tensor2D, plan)).toThrow(/dispatch: x must be float32; got int32/);
      expect(() => dispatch(x as tf.Tensor2D, {} as DispatchPlan)).toThrow(/plan must be a DispatchPlan/);
      expect(() => combine(x as tf.Tensor2D, tf.zeros([9, 2]) as tf.Tensor2D, plan)).toThrow(/combine: expertOut dimension 0 must be 18 \(plan.rows\)/);
      expect(() => combine(tf.zeros([18, 3]) as tf.Tensor2D, tf.zeros([9, 3]) as tf.Tensor2D, plan)).toThrow(/combine: weights dimension 1 must be 2 \(plan.k\)/);
      expect(() => groupedMatMul(tf.zeros([18, 3]) as tf.Tensor2D, tf.zeros([E, 4, 2]) as tf.Tensor3D, plan)).toThrow(/groupedMatMul: w dimension 1 must be 3 \(columns of x\)/);
      expect(() => groupedMatMul(tf.zeros([18, 3]) as tf.Tensor2D, tf.zeros([3, 3, 2]) as tf.Tensor3D, plan)).toThrow(/groupedMatMul: offsets dimension 0 must be 4/);
      expect(() => groupedMatMul(tf.zeros([18, 3]) as tf.Tensor2D, tf.zeros([3, 2]) as unknown as tf.Tensor3D, plan)).toThrow(/groupedMatMul: w must have rank 3/);
    });
    disposeDispatchPlan(plan);
    tf.dispose([indices, x, xi]);
  });
});
