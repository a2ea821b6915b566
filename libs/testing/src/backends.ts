import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, prepareBackend, type BackendName } from '@moe/runtime';
import { describe, beforeAll, afterAll } from 'vitest';

/**
 * Backends every numerical spec runs on. `MOE_TEST_BACKENDS=cpu,wasm` narrows it for a quick local run;
 * CI runs all three (webgpu on Mesa lavapipe), and a backend that cannot start fails the spec rather than
 * being skipped, so a missing driver is never mistaken for a pass.
 */
export function testBackends(): BackendName[] {
  const env = process.env.MOE_TEST_BACKENDS;
  const list = (env ? env.split(',') : ['cpu', 'wasm', 'webgpu']).map((s) => s.trim()).filter(Boolean);
  // A misspelt name would otherwise surface as an obscure failure inside prepareBackend (or, with every
  // name misspelt, as an empty run that passes without testing anything).
  const unknown = list.filter((name) => !(BACKEND_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || list.length === 0) {
    throw new Error(`MOE_TEST_BACKENDS must be a comma-separated list of ${BACKEND_NAMES.join(', ')}; got '${env}'`);
  }
  return list as BackendName[];
}

/** Runs `body` once per test backend inside `describe('<name> [<backend>]')`, with that backend active. */
export function describeEachBackend(name: string, body: (backend: BackendName) => void, backends: BackendName[] = testBackends()): void {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      let previous: string | undefined;
      beforeAll(async () => {
        const attempt = await prepareBackend(backend, { allowSoftwareWebGpu: true });
        if (!attempt.ok) throw new Error(`backend ${backend} cannot start: ${attempt.reason}`);
        previous = tf.getBackend();
        await tf.setBackend(backend);
        await tf.ready();
      });
      afterAll(async () => {
        if (previous && previous !== backend) await tf.setBackend(previous);
      });
      body(backend);
    });
  }
}

/** Makes `backend` active for the rest of the file (for specs that need one specific backend). */
export async function useBackend(backend: BackendName): Promise<void> {
  const attempt = await prepareBackend(backend, { allowSoftwareWebGpu: true });
  if (!attempt.ok) throw new Error(`backend ${backend} cannot start: ${attempt.reason}`);
  await tf.setBackend(backend);
  await tf.ready();
}
