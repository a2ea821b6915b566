import { createRequire } from 'node:module';

/** Row-major single-precision GEMM, C = alpha·op(A)·op(B) + beta·C, on views of any host memory (the wasm heap included). */
export type Sgemm = (
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number,
) => void;

/** A loaded CBLAS library. */
export interface CblasLibrary {
  /** The file that was loaded (a soname such as `libopenblas.so.0`, or the path from `MOE_NATIVE_BLAS`). */
  file: string;
  /** What the library says it is, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64`. */
  config: string;
  sgemm: Sgemm;
  /** Threads the library uses (1 when it cannot say: a non-OpenBLAS CBLAS). */
  threads(): number;
  /** Sets the library's thread count (OpenBLAS only; a no-op elsewhere). */
  setThreads(n: number): void;
}

/** The part of koffi's API used here (koffi is an optional dependency, so its types are not imported). */
interface KoffiModule {
  load(path: string): { func(definition: string): (...args: unknown[]) => unknown };
}

/** Thrown when koffi or a CBLAS library cannot be loaded; the message is the reason backend selection reports. */
export class NativeUnavailableError extends Error {
  override name = 'NativeUnavailableError';
}

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

/**
 * Debian's OpenBLAS (`libopenblas0-pthread`) by soname, then its own directory in case the alternatives
 * link is missing. `MOE_NATIVE_BLAS` names any other CBLAS (BLIS, MKL's `libmkl_rt.so`) instead.
 */
function candidateFiles(env: NodeJS.ProcessEnv): string[] {
  if (env.MOE_NATIVE_BLAS) return [env.MOE_NATIVE_BLAS];
  return ['libopenblas.so.0', '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0', '/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0', 'libopenblas.so'];
}

function loadKoffi(): KoffiModule {
  try {
    return createRequire(import.meta.url)('koffi') as KoffiModule;
  } catch (e) {
    throw new NativeUnavailableError(`the koffi package (optional dependency of @moe/native, prebuilt FFI) did not load: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * Loads a CBLAS library through koffi (FFI with prebuilt binaries: no compiler needed). Typed arrays are
 * passed to C as pointers to their own memory, so views of the wasm heap go to `cblas_sgemm` without a copy.
 * Throws {@link NativeUnavailableError} saying what is missing and how to get it.
 */
export function loadCblas(env: NodeJS.ProcessEnv = process.env): CblasLibrary {
  const koffi = loadKoffi();
  const errors: string[] = [];
  for (const file of candidateFiles(env)) {
    let lib: ReturnType<KoffiModule['load']>;
    try {
      lib = koffi.load(file);
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    let gemm: (...args: unknown[]) => unknown;
    try {
      gemm = lib.func('void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float *a, int lda, float *b, int ldb, float beta, float *c, int ldc)');
    } catch (e) {
      errors.push(`${file} has no cblas_sgemm: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const optional = (definition: string) => {
      try {
        return lib.func(definition);
      } catch {
        return undefined;
      }
    };
    const getConfig = optional('const char *openblas_get_config()');
    const getThreads = optional('int openblas_get_num_threads()');
    const setThreads = optional('void openblas_set_num_threads(int n)');
    return {
      file,
      config: getConfig ? String(getConfig()) : file,
      sgemm: (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
        gemm(CBLAS_ROW_MAJOR, transA ? CBLAS_TRANS : CBLAS_NO_TRANS, transB ? CBLAS_TRANS : CBLAS_NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      },
      threads: () => (getThreads ? Number(getThreads()) : 1),
      setThreads: (n) => {
        if (!Number.isInteger(n) || n < 1) throw new Error(`setThreads: n must be a positive integer; got ${n}`);
        setThreads?.(n);
      },
    };
  }
  const hint = env.MOE_NATIVE_BLAS ? 'check MOE_NATIVE_BLAS' : 'install Debian libopenblas0-pthread (as root: apt-get install libopenblas0-pthread; npm test does it)';
  throw new NativeUnavailableError(`no CBLAS library could be loaded (${errors.join('; ')}); ${hint}`);
}
