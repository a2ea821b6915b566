import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDispatchPlan, disposeDispatchPlan, groupedMatMul, MOE_GROUPED_MATMUL, MOE_GROUPED_MATMUL_WEIGHT_GRAD } from '@moe/kernels';
import { checkGradients, expectClose, expectNoLeaks, useBackend } from '@moe/testing';
import { loadCblas, NativeUnavailableError } from './cblas-library.js';
import { nativeStatus, parseNativeSwitch, setNativeEnabled } from './index.js';

// The kernel and gradient specs of @moe/kernels, @moe/core and the apps run on `wasm+native` through
// @moe/testing whenever the library loads; this file covers what they do not reach: every transpose and
// broadcast case, the fused bias/activation variants, odd plan tables, and the switch and error paths.

const available = nativeStatus().available;

// Seeded uniform values are generated in JS by tfjs-core, so every backend gets the same inputs.
const t = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** fn on cpu (the reference), on wasm with its own kernels, and on wasm with the native ones, values read back. */
async function threeWays(fn: () => tf.Tensor): Promise<{ cpu: Float32Array; wasm: Float32Array; native: Float32Array; shape: number[] }> {
  const run = async () => {
    const out = tf.tidy(fn);
    const v = Float32Array.from(await out.data());
    const shape = out.shape;
    out.dispose();
    return { v, shape };
  };
  await useBackend('cpu');
  const cpu = await run();
  await useBackend('wasm');
  const wasm = await run().catch(() => ({ v: new Float32Array(0), shape: [] as number[] }));
  await useBackend('wasm+native');
  const callsBefore = nativeStatus().calls;
  // Tensors (expectNoLeaks) and the backend's own buffers: intermediates the kernels free directly count too.
  const buffersBefore = tf.engine().backend.numDataIds();
  const native = await expectNoLeaks(run);
  expect(tf.engine().backend.numDataIds(), 'wasm heap buffers left behind').toBe(buffersBefore);
  expect(nativeStatus().calls, 'the native kernels must have run').toBeGreaterThan(callsBefore);
  expect(native.shape).toEqual(cpu.shape);
  return { cpu: cpu.v, wasm: wasm.v, native: native.v, shape: cpu.shape };
}

/**
 * Native against the cpu reference and, where wasm's own kernel is right, against wasm too. tfjs-backend-wasm
 * 4.22 is not right everywhere: a matmul with an empty inner dimension returns uninitialised heap memory, and
 * _FusedMatMul with transposeB and a bias adds the bias wrongly from the second row on (and rejects any bias
 * of rank > 1); the native kernels match cpu there.
 */
async function expectAllClose(fn: () => tf.Tensor, label: string, compareWithWasm = true): Promise<void> {
  const r = await threeWays(fn);
  await expectClose(r.native, r.cpu, { rtol: 1e-4, atol: 1e-4 }, `${label}: native vs cpu`);
  if (compareWithWasm) await expectClose(r.native, r.wasm, { rtol: 1e-4, atol: 1e-4 }, `${label}: native vs wasm`);
}

describe('parseNativeSwitch (MOE_NATIVE)', () => {
  it('reads on/off words and names the variable and the value otherwise', () => {
    for (const v of [undefined, '', '1', ' on ', 'TRUE']) expect(parseNativeSwitch(v)).toEqual({ on: true });
    for (const v of ['0', 'off', 'false']) expect(parseNativeSwitch(v)).toEqual({ on: false });
    expect(parseNativeSwitch('maybe')).toEqual({ on: false, error: "MOE_NATIVE must be 0 or 1 (also off/on, false/true); got 'maybe'" });
  });
});

describe('loadCblas', () => {
  it('fails with a NativeUnavailableError naming the library it could not load', () => {
    let error: unknown;
    try {
      loadCblas({ MOE_NATIVE_BLAS: '/nonexistent/libnothing.so' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NativeUnavailableError);
    // Without koffi the reason is koffi; with it, the file and the variable to check.
    expect((error as Error).message).toMatch(/koffi|no CBLAS library could be loaded \(\/nonexistent\/libnothing\.so: .*\); check MOE_NATIVE_BLAS/);
  });

  it.skipIf(!available)('reports the library and its threads when it loads', () => {
    const s = nativeStatus();
    expect(s).toMatchObject({ available: true, library: expect.any(String), threads: expect.any(Number) });
    expect(s.threads).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(available)('says why it is unavailable, and refuses to be switched on', () => {
    const s = nativeStatus();
    expect(s).toMatchObject({ available: false, enabled: false });
    expect(s.reason.length).toBeGreaterThan(0);
    expect(() => setNativeEnabled(true)).toThrow(/^the native CPU path cannot start: /);
  });
});

describe.skipIf(!available)('native kernels over wasm (against cpu and wasm\'s own kernels)', () => {
  beforeAll(async () => {
    await useBackend('wasm+native');
  });
  afterAll(async () => {
    await useBackend('wasm');
  });

  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`matMul ${ta ? 'aᵀ' : 'a'}·${tb ? 'bᵀ' : 'b'} (odd sizes)`, async () => {
      const [m, k, n] = [37, 19, 23];
      await expectAllClose(() => tf.matMul(t(ta ? [k, m] : [m, k], 1), t(tb ? [n, k] : [k, n], 2), ta, tb), `matMul ${ta} ${tb}`);
    });
  }

  it('batched matMul with broadcast batch dims, rank 4 × rank 2 and rank 3 × rank 3', async () => {
    await expectAllClose(() => tf.matMul(t([2, 3, 5, 4], 3), t([4, 6], 4)), 'rank 4 × rank 2');
    await expectAllClose(() => tf.matMul(t([1, 5, 4], 5), t([3, 4, 6], 6), false, false), 'batch 1 × batch 3');
    await expectAllClose(() => tf.matMul(t([3, 4, 5], 7), t([3, 6, 4], 8), true, true), 'batch 3, both transposed');
  });

  it('empty dimensions: k = 0 gives zeros, m = 0 an empty result', async () => {
    await expectAllClose(() => tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 4])), 'k = 0', false);
    await useBackend('wasm+native');
    expect(tf.tidy(() => tf.matMul(tf.zeros([0, 3]), tf.zeros([3, 4]))).shape).toEqual([0, 4]);
  });

  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const) {
    it(`fused matMul + rank-1 bias + ${activation}`, async () => {
      await expectAllClose(() => tf.fused.matMul({
        a: t([9, 6], 9), b: t([7, 6], 10), transposeB: true, bias: t([7], 11), activation,
        preluActivationWeights: activation === 'prelu' ? t([7], 12) : undefined, leakyreluAlpha: 0.3,
      }), `fused ${activation}`, false);
      await expectAllClose(() => tf.fused.matMul({
        a: t([9, 6], 9), b: t([6, 7], 10), bias: t([7], 11), activation,
        preluActivationWeights: activation === 'prelu' ? t([7], 12) : undefined, leakyreluAlpha: 0.3,
      }), `fused ${activation}, b untransposed`);
    });
  }

  it('fused matMul with a bias that is not one value per column (added by wasm\'s Add), batched', async () => {
    await expectAllClose(() => tf.fused.matMul({ a: t([2, 5, 3], 13), b: t([2, 3, 4], 14), bias: t([5, 1], 15), activation: 'relu' }), 'bias [5,1]', false);
  });

  it('gradients of matMul and fused matMul match finite differences', async () => {
    await checkGradients((a, b) => tf.matMul(a, b, true, false), [t([5, 4], 16), t([5, 3], 17)]);
    await checkGradients((a, b, bias) => tf.fused.matMul({ a, b, bias, activation: 'elu' }), [t([4, 5], 18), t([5, 3], 19), t([3], 20)]);
  });

  it('grouped matmul and its weight gradient agree with the host kernels on odd plan tables', async () => {
    // offsets as a plan makes them, one with an empty expert, one starting past row 0 and one that runs backwards.
    const tables = [[0, 3, 3, 7, 10], [2, 4, 6, 8, 10], [0, 6, 2, 9, 10]];
    for (const offsets of tables) {
      const rows = 10;
      const run = (which: 'forward' | 'transposed' | 'weightGrad') => () => {
        const off = tf.tensor1d(offsets, 'int32');
        const out = which === 'weightGrad'
          ? tf.engine().runKernel(MOE_GROUPED_MATMUL_WEIGHT_GRAD, { a: t([rows, 5], 21), b: t([rows, 3], 22), offsets: off }) as tf.Tensor
          : tf.engine().runKernel(MOE_GROUPED_MATMUL, { x: t([rows, 5], 23), w: t(which === 'forward' ? [4, 5, 3] : [4, 3, 5], 24), offsets: off }, { transposeW: which === 'transposed' }) as tf.Tensor;
        return out;
      };
      for (const which of ['forward', 'transposed', 'weightGrad'] as const) await expectAllClose(run(which), `${which} offsets [${offsets}]`);
    }
  });

  it('groupedMatMul through a real plan: gradients match finite differences', async () => {
    const ids = tf.tensor2d([[0, 2], [2, 1], [2, -1], [1, 2], [-1, -1], [3, 1]], undefined, 'int32');
    const plan = computeDispatchPlan(ids, 4);
    const x = t([plan.rows, 4], 25);
    const w = t([4, 4, 3], 26);
    await checkGradients((a, b) => groupedMatMul(a as tf.Tensor2D, b as tf.Tensor3D, plan), [x, w]);
    await checkGradients((a, b) => groupedMatMul(a as tf.Tensor2D, b as tf.Tensor3D, plan, { transposeW: true }), [x, t([4, 3, 4], 27)]);
    disposeDispatchPlan(plan);
    tf.dispose([ids, x, w]);
  });

  it('rejects a plan table whose length does not match the experts, naming the shapes', async () => {
    expect(() => tf.tidy(() => tf.engine().runKernel(MOE_GROUPED_MATMUL, { x: t([4, 5], 1), w: t([3, 5, 2], 2), offsets: tf.tensor1d([0, 2, 4], 'int32') }, { transposeW: false })))
      .toThrow('native MoeGroupedMatMul: offsets must have shape [4] (E + 1 for E = 3 experts); got [3]');
  });

  it('Identity (tfjs\' saves for the backward pass) shares the buffer: it outlives its source and is freed with the last reference', async () => {
    const buffers = tf.engine().backend.numDataIds();
    const x = t([3, 4], 30);
    const expected = Array.from(await x.data());
    const copy = tf.clone(x);
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1); // one buffer, two tensors
    x.dispose();
    expect(Array.from(await copy.data())).toEqual(expected);
    copy.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    const s = tf.tensor(['a', 'b']); // strings still go to wasm's own Identity
    const sc = tf.clone(s);
    expect(await sc.data()).toEqual(['a', 'b']);
    tf.dispose([s, sc]);
  });

  it('switched off, the same calls run on wasm\'s own kernels', async () => {
    setNativeEnabled(false);
    const before = nativeStatus().calls;
    tf.tidy(() => tf.matMul(t([4, 4], 1), t([4, 4], 2)));
    expect(nativeStatus()).toMatchObject({ enabled: false, calls: before, reason: 'switched off by setNativeEnabled(false)' });
    setNativeEnabled(true);
    tf.tidy(() => tf.matMul(t([4, 4], 1), t([4, 4], 2)));
    expect(nativeStatus().calls).toBe(before + 1);
  });
});
