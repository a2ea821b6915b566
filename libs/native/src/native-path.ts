import { loadCblas, NativeUnavailableError, type CblasLibrary } from './cblas-library.js';

/** Where the native CPU path stands in this process (for logs, backend selection and health endpoints). */
export interface NativeStatus {
  /** Whether the GEMM library loaded (koffi + a CBLAS); false also when MOE_NATIVE=0 kept it from being tried. */
  available: boolean;
  /** Whether the wasm backend's matmul kernels run on it now. */
  enabled: boolean;
  /** Why it is off, or what it runs on: "OpenBLAS 0.3.21 … SkylakeX …, 2 threads". */
  reason: string;
  /** The library file loaded, when available. */
  library?: string;
  /** The library's thread count, when available. */
  threads?: number;
  /** Kernel calls served by this path so far in this process (GEMMs and the copy-free Identity): proof that it is really used. */
  calls: number;
}

let library: CblasLibrary | undefined;
let loadError: string | undefined;
let enabled = false;
let calls = 0;
let activated = false;
/** Why the path is off although the library loaded (MOE_NATIVE, or setNativeEnabled(false)). */
let switchedOffBy: string | undefined;

/** Loads the CBLAS library once per process (later calls return the same library or the same reason). */
function ensureLoaded(env: NodeJS.ProcessEnv = process.env): CblasLibrary | undefined {
  if (library == null && loadError == null) {
    try {
      library = loadCblas(env);
    } catch (e) {
      loadError = e instanceof NativeUnavailableError ? e.message : `loading the native GEMM failed: ${(e as Error).message}`;
    }
  }
  return library;
}

/** Reads `MOE_NATIVE`: unset, empty, 1, on, true enable; 0, off, false disable; anything else is an error message. */
export function parseNativeSwitch(value: string | undefined): { on: boolean; error?: string } {
  const v = (value ?? '').trim().toLowerCase();
  if (['', '1', 'on', 'true', 'yes'].includes(v)) return { on: true };
  if (['0', 'off', 'false', 'no'].includes(v)) return { on: false };
  return { on: false, error: `MOE_NATIVE must be 0 or 1 (also off/on, false/true); got '${value}'` };
}

/** The library the kernels call while the path is enabled (undefined while it is off). */
export function activeLibrary(): CblasLibrary | undefined {
  return enabled ? library : undefined;
}

/** Counts one kernel call served natively (see NativeStatus.calls). */
export function countNativeCall(): void {
  calls++;
}

export function nativeStatus(): NativeStatus {
  const lib = ensureLoaded();
  if (lib == null) return { available: false, enabled: false, reason: loadError ?? 'not loaded', calls };
  const threads = lib.threads();
  return {
    available: true, enabled, library: lib.file, threads, calls,
    reason: enabled ? `${lib.config.trim()}, ${threads} thread${threads === 1 ? '' : 's'}` : (switchedOffBy ?? 'loaded, not activated (activateNativePath or setNativeEnabled(true))'),
  };
}

/**
 * What backend selection calls when the wasm backend starts: the first call turns the native path on unless
 * `MOE_NATIVE` says 0 or the library cannot load; every call returns the status, with the reason either way.
 * Later calls do not undo a {@link setNativeEnabled} choice.
 */
export function activateNativePath(env: NodeJS.ProcessEnv = process.env): NativeStatus {
  if (!activated) {
    activated = true;
    const sw = parseNativeSwitch(env.MOE_NATIVE);
    if (!sw.on) switchedOffBy = sw.error ?? `disabled by MOE_NATIVE=${env.MOE_NATIVE}`;
    else if (ensureLoaded(env) != null) enabled = true;
  }
  // Switched off by MOE_NATIVE: report it without loading koffi or the library just to describe them.
  if (!enabled && switchedOffBy && library == null) return { available: false, enabled: false, reason: switchedOffBy, calls };
  const status = nativeStatus();
  return !status.enabled && switchedOffBy ? { ...status, reason: switchedOffBy } : status;
}

/**
 * Switches the native path on or off for the rest of the process (tests run the same specs with and without
 * it; the kernels bench compares the two). Turning it on throws, with the reason, when the library cannot load.
 */
export function setNativeEnabled(on: boolean): NativeStatus {
  if (on && ensureLoaded() == null) throw new Error(`the native CPU path cannot start: ${loadError}`);
  activated = true;
  switchedOffBy = on ? undefined : 'switched off by setNativeEnabled(false)';
  enabled = on;
  return nativeStatus();
}

/** Sets the GEMM library's thread count (OpenBLAS; defaults to every core, or OPENBLAS_NUM_THREADS). */
export function setNativeThreads(n: number): void {
  const lib = ensureLoaded();
  if (lib == null) throw new Error(`setNativeThreads: the native CPU path cannot start: ${loadError}`);
  lib.setThreads(n);
}
