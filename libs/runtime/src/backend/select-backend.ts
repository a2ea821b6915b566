import * as tf from '@tensorflow/tfjs-core';
import type { NativeStatus } from '@moe/native';
import './register-kernels.js';
import { BACKEND_NAMES, BackendSelectionError, parseBackendRequest, type BackendAttempt, type BackendName, type BackendRequest } from './backend-name.js';
import { quietCpuBanner } from './quiet-cpu-banner.js';
import { installWebGpu, type WebGpuAdapterInfo } from './webgpu-adapter.js';

/** The backend {@link selectBackend} chose, and why the others were not. */
export interface BackendSelection {
  backend: BackendName;
  /** Every backend tried, in order, with why it was or was not taken. */
  attempts: BackendAttempt[];
  /** Present when the webgpu backend was chosen. */
  adapter?: WebGpuAdapterInfo;
  /** Present when wasm was chosen: whether its matmul kernels run on the native GEMM (@moe/native), and why (not). */
  native?: NativeStatus;
  /** One line for logs: "backend wasm; skipped tensorflow: <why>; webgpu: <why>; native matmul: <on what | off: why>". */
  summary: string;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Defaults to `process.env.MOE_BACKEND`, then `auto`. */
  request?: BackendRequest | string;
  /** With `auto`: accept a software WebGPU adapter (lavapipe). Off by default: it is slower than wasm. */
  allowSoftwareWebGpu?: boolean;
}

type Initialiser = () => Promise<{ adapter?: WebGpuAdapterInfo; native?: NativeStatus }>;

/** How to make each backend available in this process. Imports are dynamic: optional packages may be absent. */
const INITIALISERS: Record<BackendName, Initialiser> = {
  async tensorflow() {
    // GPU build first; tfjs-node-gpu without CUDA falls back to CPU silently, which is still tensorflow.
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        await import(pkg);
        return {};
      } catch (e) {
        if (!isModuleNotFound(e, pkg)) throw new Error(`${pkg} is installed but failed to load: ${(e as Error).message}`);
      }
    }
    throw new Error('@tensorflow/tfjs-node-gpu and @tensorflow/tfjs-node are not installed (optional dependencies whose install downloads libtensorflow, which fails offline)');
  },
  async webgpu() {
    const adapter = await installWebGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
    return { adapter };
  },
  async wasm() {
    await import('@tensorflow/tfjs-backend-wasm');
    // The native GEMM path over wasm's matmuls: on unless MOE_NATIVE=0 or its library cannot load (the
    // status says which); wasm runs as before either way.
    const { activateNativePath } = await import('@moe/native');
    return { native: activateNativePath() };
  },
  async cpu() {
    await import('@tensorflow/tfjs-backend-cpu');
    return {};
  },
};

let current: Promise<BackendSelection> | undefined;
let currentRequest: string | undefined;
let lastSelection: BackendSelection | undefined;

/** The last successful selection in this process (for logs and health endpoints), or undefined. */
export function getBackendSelection(): BackendSelection | undefined {
  return lastSelection;
}

/**
 * For hosts that embed apps (the suite, tests, CLIs): selects a backend only when nobody has, neither through
 * `selectBackend` nor by making a tfjs backend active directly; a choice the host already made is respected.
 * Returns the new selection (for the start-up log), or undefined when one was already in place.
 */
export async function selectBackendUnlessChosen(options: SelectBackendOptions = {}): Promise<BackendSelection | undefined> {
  if (getBackendSelection() !== undefined || tf.engine().backendName) return undefined;
  return selectBackend(options);
}

/**
 * Chooses and initialises the tensor backend for this process (call once at start-up).
 * `auto` tries tensorflow (GPU, then CPU), webgpu (only with a hardware adapter unless allowed), wasm, then
 * cpu, and reports why each earlier one was skipped. An explicit request that cannot start throws
 * {@link BackendSelectionError} naming the reason. Calling again with the same request returns the same
 * selection (and makes its backend active again if something switched away from it).
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  let request: BackendRequest;
  try {
    request = parseBackendRequest(options.request ?? process.env.MOE_BACKEND, options.request === undefined ? 'MOE_BACKEND' : 'selectBackend: options.request');
  } catch (e) {
    return Promise.reject(e);
  }
  const key = `${request}:${options.allowSoftwareWebGpu ?? false}`;
  if (current && currentRequest === key) {
    // Same answer, but the process may have switched backends since (tests do): make it active again.
    return current.then(async (s) => {
      if (tf.engine().backendName !== s.backend) await tf.setBackend(s.backend);
      return s;
    });
  }
  currentRequest = key;
  const selection = doSelect(request, options.allowSoftwareWebGpu ?? false).then(
    (s) => {
      // A later call with another request may have superseded this one; it owns lastSelection then.
      if (current === selection) lastSelection = s;
      return s;
    },
    (e: unknown) => {
      if (current === selection) {
        current = undefined;
        currentRequest = undefined;
      }
      throw e;
    },
  );
  current = selection;
  return selection;
}

async function doSelect(request: BackendRequest, allowSoftwareWebGpu: boolean): Promise<BackendSelection> {
  const order: BackendName[] = request === 'auto' ? [...BACKEND_NAMES] : [request];
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    const attempt = await tryBackend(backend, request === 'auto' && !allowSoftwareWebGpu);
    attempts.push(attempt.result);
    if (attempt.result.ok) {
      const skipped = attempts.filter((a) => !a.ok).map((a) => `${a.backend}: ${a.reason}`);
      const native = attempt.native && `; native matmul: ${attempt.native.enabled ? attempt.native.reason : `off (${attempt.native.reason})`}`;
      return {
        backend, attempts, adapter: attempt.adapter, ...(attempt.native && { native: attempt.native }),
        summary: `backend ${backend}${attempt.adapter ? ` (${attempt.adapter.vendor} ${attempt.adapter.architecture})` : ''}${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}${native ?? ''}`,
      };
    }
  }
  const detail = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new BackendSelectionError('unavailable', request === 'auto' ? `no usable tensor backend (${detail})` : `MOE_BACKEND=${request} cannot start: ${detail}`, attempts);
}

async function tryBackend(backend: BackendName, rejectSoftwareGpu: boolean): Promise<{ result: BackendAttempt; adapter?: WebGpuAdapterInfo; native?: NativeStatus }> {
  let adapter: WebGpuAdapterInfo | undefined;
  let native: NativeStatus | undefined;
  try {
    ({ adapter, native } = await INITIALISERS[backend]());
  } catch (e) {
    return { result: { backend, ok: false, reason: (e as Error).message } };
  }
  if (adapter?.software && rejectSoftwareGpu) {
    return { result: { backend, ok: false, reason: `only a software adapter (${adapter.vendor} ${adapter.architecture}) is present; set MOE_BACKEND=webgpu to use it` } };
  }
  if (!tf.findBackendFactory(backend)) return { result: { backend, ok: false, reason: 'package loaded but registered no backend' } };
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (e) {
    return { result: { backend, ok: false, reason: `initialisation threw: ${(e as Error).message}` } };
  }
  if (!ok) return { result: { backend, ok: false, reason: 'initialisation failed' } };
  quietCpuBanner();
  return { result: { backend, ok: true, reason: 'selected' }, adapter, native };
}

/** True when `pkg` itself is absent (not when it is present but one of its own imports is missing). */
function isModuleNotFound(e: unknown, pkg: string): boolean {
  const { code, message } = e as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(message).includes(`'${pkg}'`);
}

/**
 * Initialises a backend by name without switching away from the active one (tests use this to run one spec
 * on several backends in a process); when no backend is active yet, the prepared one becomes active.
 * Resolves with `ok: false` and the reason when the backend cannot start; rejects with a
 * {@link BackendSelectionError} (`invalid_request`) when `backend` is not a backend name. A software WebGPU
 * adapter is accepted unless `allowSoftwareWebGpu: false`.
 */
export async function prepareBackend(backend: BackendName, options: { allowSoftwareWebGpu?: boolean } = {}): Promise<BackendAttempt> {
  if (!(BACKEND_NAMES as readonly unknown[]).includes(backend)) {
    throw new BackendSelectionError('invalid_request', `prepareBackend: backend must be one of ${BACKEND_NAMES.join(', ')}; got ${JSON.stringify(backend)}`, []);
  }
  // The engine's field, not tf.getBackend(): with no backend active yet, getBackend() would initialise the
  // highest-priority registered one (possibly webgpu) just to answer.
  const previous = tf.engine().backendName as string | null;
  const { result } = await tryBackend(backend, !(options.allowSoftwareWebGpu ?? true));
  if (previous && previous !== backend && result.ok) await tf.setBackend(previous);
  return result;
}
