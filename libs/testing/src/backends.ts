import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, prepareBackend, type BackendName } from '@moe/runtime';
import { nativeStatus, parseNativeSwitch, setNativeEnabled } from '@moe/native';
import { describe, beforeAll, afterAll } from 'vitest';

/** A backend a spec runs on: a tensor backend, or `wasm+native` (wasm with @moe/native's GEMM kernels on). */
export type TestBackend = BackendName | 'wasm+native';
const TEST_BACKEND_NAMES: readonly string[] = [...BACKEND_NAMES, 'wasm+native'];

/**
 * Backends every numerical spec runs on. `MOE_TEST_BACKENDS=cpu,wasm` narrows it for a quick local run;
 * CI runs cpu, wasm (its own kernels), wasm+native (when the native GEMM loads here and MOE_NATIVE is not 0)
 * and webgpu (on Mesa lavapipe), and a backend that cannot start fails the spec rather than being skipped, so
 * a missing driver is never mistaken for a pass.
 */
export function testBackends(): TestBackend[] {
  const env = process.env.MOE_TEST_BACKENDS;
  const native = parseNativeSwitch(process.env.MOE_NATIVE).on && nativeStatus().available ? ['wasm+native'] : [];
  const list = (env ? env.split(',') : ['cpu', 'wasm', ...native, 'webgpu']).map((s) => s.trim()).filter(Boolean);
  // A misspelt name would otherwise surface as an obscure failure inside prepareBackend (or, with every
  // name misspelt, as an empty run that passes without testing anything).
  const unknown = list.filter((name) => !TEST_BACKEND_NAMES.includes(name));
  if (unknown.length > 0 || list.length === 0) {
    throw new Error(`MOE_TEST_BACKENDS must be a comma-separated list of ${TEST_BACKEND_NAMES.join(', ')}; got '${env}'`);
  }
  return list as TestBackend[];
}

/** Starts the tensor backend behind a test backend and switches the native path to match (off for plain wasm). */
async function startTestBackend(backend: TestBackend): Promise<BackendName> {
  const tensorBackend: BackendName = backend === 'wasm+native' ? 'wasm' : backend;
  const attempt = await prepareBackend(tensorBackend, { allowSoftwareWebGpu: true });
  if (!attempt.ok) throw new Error(`backend ${backend} cannot start: ${attempt.reason}`);
  if (tensorBackend === 'wasm') setNativeEnabled(backend === 'wasm+native');
  return tensorBackend;
}

/**
 * Runs `body` once per test backend inside `describe('<name> [<backend>]')`, with that backend active; `body`
 * gets the tensor backend's name (`wasm` for `wasm+native`).
 */
export function describeEachBackend(name: string, body: (backend: BackendName) => void, backends: TestBackend[] = testBackends()): void {
  for (const backend of backends) {
    const tensorBackend: BackendName = backend === 'wasm+native' ? 'wasm' : backend;
    describe(`${name} [${backend}]`, () => {
      let previous: string | undefined;
      beforeAll(async () => {
        previous = tf.engine().backendName ?? undefined;
        await startTestBackend(backend);
        await tf.setBackend(tensorBackend);
        await tf.ready();
      });
      afterAll(async () => {
        if (previous && previous !== tensorBackend) await tf.setBackend(previous);
      });
      body(tensorBackend);
    });
  }
}

/** Makes `backend` active for the rest of the file (for specs that need one specific backend). */
export async function useBackend(backend: TestBackend): Promise<void> {
  await tf.setBackend(await startTestBackend(backend));
  await tf.ready();
}
