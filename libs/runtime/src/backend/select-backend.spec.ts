import * as tf from '@tensorflow/tfjs-core';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendSelectionError, parseBackendRequest, type BackendName } from './backend-name.js';
import { getBackendSelection, prepareBackend, selectBackend } from './select-backend.js';
import { installWebGpu, type WebGpuAdapterInfo } from './webgpu-adapter.js';

/** Whether this machine has tfjs-node (an optionalDependency whose install usually fails offline). */
function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const hasTensorflow = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');

/** What Dawn finds here: a hardware adapter, a software one (lavapipe), or none (with the reason). */
async function webgpuHere(): Promise<WebGpuAdapterInfo | Error> {
  return installWebGpu().catch((e: Error) => e);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('parseBackendRequest', () => {
  it('accepts every backend and auto, case- and space-insensitively; empty or unset means auto', () => {
    for (const v of ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']) expect(parseBackendRequest(v)).toBe(v);
    expect(parseBackendRequest(' WASM ')).toBe('wasm');
    expect(parseBackendRequest(undefined)).toBe('auto');
    expect(parseBackendRequest('')).toBe('auto');
  });

  it('rejects anything else with an error naming MOE_BACKEND, the choices and the value', () => {
    let error: unknown;
    try {
      parseBackendRequest('gpu');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendSelectionError);
    expect(error).toMatchObject({ code: 'invalid_request', message: "MOE_BACKEND must be one of auto, tensorflow, webgpu, wasm, cpu; got 'gpu'" });
  });
});

describe('selectBackend', () => {
  it('reads MOE_BACKEND and rejects an invalid value naming it', async () => {
    vi.stubEnv('MOE_BACKEND', 'cuda');
    await expect(selectBackend()).rejects.toMatchObject({ name: 'BackendSelectionError', code: 'invalid_request', message: expect.stringMatching(/^MOE_BACKEND must be one of .*; got 'cuda'$/) });
    await expect(selectBackend({ request: 'tpu' })).rejects.toThrow(/^selectBackend: options.request must be one of .*; got 'tpu'$/);
  });

  it.skipIf(hasTensorflow)('fails clearly on an explicit tensorflow request when tfjs-node is not installed', async () => {
    const error = await selectBackend({ request: 'tensorflow' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendSelectionError);
    const e = error as BackendSelectionError;
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/^MOE_BACKEND=tensorflow cannot start: tensorflow: @tensorflow\/tfjs-node-gpu and @tensorflow\/tfjs-node are not installed/);
    expect(e.attempts).toEqual([{ backend: 'tensorflow', ok: false, reason: expect.stringContaining('not installed') }]);
  });

  it('auto skips what cannot run here (tensorflow absent, software-only WebGPU) and says why', async () => {
    vi.stubEnv('MOE_BACKEND', 'auto');
    const gpu = await webgpuHere();
    const selection = await selectBackend();
    expect(tf.getBackend()).toBe(selection.backend);
    const byName = Object.fromEntries(selection.attempts.map((a) => [a.backend, a]));
    if (!hasTensorflow) expect(byName.tensorflow).toMatchObject({ ok: false, reason: expect.stringContaining('not installed') });
    if (gpu instanceof Error) {
      expect(byName.webgpu).toMatchObject({ ok: false, reason: gpu.message });
    } else if (gpu.software && !hasTensorflow) {
      expect(byName.webgpu).toMatchObject({ ok: false, reason: expect.stringMatching(/^only a software adapter \(.+\) is present; set MOE_BACKEND=webgpu to use it$/) });
    }
    if (!hasTensorflow && (gpu instanceof Error || gpu.software)) {
      expect(selection.backend).toBe('wasm');
      expect(selection.summary).toMatch(/^backend wasm; skipped tensorflow: .*not installed.*; webgpu: .+$/);
    }
    expect(selection.attempts.at(-1)).toEqual({ backend: selection.backend, ok: true, reason: 'selected' });
    // The same request again is the same selection, active again; the summary stays available for logs.
    await prepareBackend('cpu');
    await tf.setBackend('cpu');
    expect(await selectBackend({ request: 'auto' })).toBe(selection);
    expect(tf.getBackend()).toBe(selection.backend);
    expect(getBackendSelection()).toBe(selection);
  });

  it('an explicit webgpu request takes a software adapter and reports it', async () => {
    const gpu = await webgpuHere();
    if (gpu instanceof Error) {
      await expect(selectBackend({ request: 'webgpu' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('MOE_BACKEND=webgpu cannot start') });
      return;
    }
    const selection = await selectBackend({ request: 'webgpu' });
    expect(selection.backend).toBe('webgpu');
    expect(selection.adapter).toEqual(gpu);
    expect(selection.summary).toBe(`backend webgpu (${gpu.vendor} ${gpu.architecture})`);
    const x = tf.tensor([1, 2, 3]);
    expect(Array.from(await tf.sum(x).data())).toEqual([6]);
    x.dispose();
  });

  it('cpu and wasm start on request; kernels and gradients are registered whichever wins', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      const selection = await selectBackend({ request: backend });
      expect(selection.backend).toBe(backend);
      // wasm also says whether its matmuls run on the native GEMM (@moe/native) and, when not, why.
      if (backend === 'wasm') expect(selection.summary).toMatch(/^backend wasm; native matmul: (.+, \d+ threads?|off \(.+\))$/);
      else expect(selection.summary).toBe(`backend ${backend}`);
      expect(tf.getBackend()).toBe(backend);
      // @moe/kernels registers core gradients: without it tfjs-core alone has no gradient for Sum.
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor([1, 2]));
      expect(Array.from(await g.data())).toEqual([2, 4]);
      expect(tf.getGradient('TopK')).toBeDefined();
    }
    expect(getBackendSelection()?.backend).toBe('wasm');
  });

  it('prepareBackend initialises a backend without switching to it', async () => {
    await selectBackend({ request: 'wasm' });
    expect(await prepareBackend('cpu')).toEqual({ backend: 'cpu', ok: true, reason: 'selected' });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('prepareBackend rejects an unknown backend name, naming the argument, the choices and the value', async () => {
    await expect(prepareBackend('wsam' as BackendName)).rejects.toMatchObject({
      name: 'BackendSelectionError', code: 'invalid_request',
      message: 'prepareBackend: backend must be one of tensorflow, webgpu, wasm, cpu; got "wsam"',
    });
  });

  it('reports why the native matmul path is off: MOE_NATIVE=0, or a library that cannot load', async () => {
    const fixture = fileURLToPath(new URL('./native-switch.fixture.ts', import.meta.url));
    const run = (env: Record<string, string>) => promisify(execFile)(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', fixture], { env: { ...process.env, ...env } });
    const [off, missing] = await Promise.all([run({ MOE_NATIVE: '0' }), run({ MOE_NATIVE: '1', MOE_NATIVE_BLAS: '/nonexistent/libcblas.so' })]);
    expect(off.stdout).toContain('backend wasm; native matmul: off (disabled by MOE_NATIVE=0)');
    expect(missing.stdout).toMatch(/backend wasm; native matmul: off \((no CBLAS library could be loaded \(\/nonexistent\/libcblas\.so: .+\); check MOE_NATIVE_BLAS|the koffi package .+)\)/);
    expect(off.stdout + missing.stdout).toMatch(/sum=6\n[^]*sum=6/); // wasm itself runs either way
  }, 30_000);

  it("silences tfjs' Node.js banner on the cpu backend (and only with selectBackend)", async () => {
    const fixture = fileURLToPath(new URL('./cpu-banner.fixture.ts', import.meta.url));
    const run = (mode: string) => promisify(execFile)(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', fixture, mode]);
    const [selected, control] = await Promise.all([run('select'), run('control')]);
    expect(selected.stdout).toContain('sum=6');
    expect(selected.stdout + selected.stderr).not.toMatch(/Hi, looks like you are running TensorFlow.js in Node.js/);
    expect(control.stdout + control.stderr).toMatch(/Hi, looks like you are running TensorFlow.js in Node.js/);
  }, 30_000);
});
