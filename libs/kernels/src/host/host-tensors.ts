import * as tf from '@tensorflow/tfjs-core';

export type HostArray = Float32Array | Int32Array;

/**
 * Uniform access to tensors of the backends whose memory lives on the host (cpu: JS typed arrays; wasm:
 * the module heap), so one kernel body serves both. On wasm every allocation may grow (and so detach)
 * the heap: take views with `view` after the last `alloc`/`run` that precedes their use.
 */
export interface HostTensors {
  /** The backend object (identity key for per-backend caches). */
  backend: object;
  /** A view of the tensor's values (writable for tensors this kernel allocated). */
  view(t: tf.TensorInfo): HostArray;
  /** A new tensor, zero-filled unless `zero` is false (for outputs the caller overwrites entirely). */
  alloc(shape: number[], dtype: 'float32' | 'int32', zero?: boolean): tf.TensorInfo;
  /** Runs one of the backend's own kernels (e.g. BatchMatMul, Transpose) on tensor infos. */
  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs?: Record<string, unknown>): tf.TensorInfo;
  /** Frees a tensor this kernel allocated and does not return. */
  free(t: tf.TensorInfo): void;
  /**
   * Whether a tensor's data is still alive on the backend. Present only where a stable tensor id pays off
   * (wasm: XNNPACK caches each weight's packed form per tensor id), which enables the expert-block cache.
   */
  isAlive?(dataId: tf.DataId): boolean;
}

interface CpuBackendLike {
  data: { get(dataId: tf.DataId): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: HostArray): tf.TensorInfo;
  disposeIntermediateTensorInfo(t: tf.TensorInfo): void;
}

interface WasmBackendLike {
  dataIdMap: { has(dataId: tf.DataId): boolean };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): HostArray;
  disposeData(dataId: tf.DataId): boolean;
}

function runBackendKernel(backendName: string, backend: unknown, kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (kernel == null) throw new Error(`kernel ${kernelName} is not registered for backend ${backendName}`);
  const out = kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend: backend as tf.KernelBackend, attrs: attrs as tf.NamedAttrMap });
  return Array.isArray(out) ? out[0] : out;
}

export function cpuTensors(backend: unknown): HostTensors {
  const b = backend as CpuBackendLike;
  return {
    backend: b,
    view: (t) => b.data.get(t.dataId).values as HostArray,
    alloc: (shape, dtype) => {
      const size = shape.reduce((a, c) => a * c, 1);
      return b.makeTensorInfo(shape, dtype, dtype === 'int32' ? new Int32Array(size) : new Float32Array(size));
    },
    run: (name, inputs, attrs = {}) => runBackendKernel('cpu', backend, name, inputs, attrs),
    free: (t) => b.disposeIntermediateTensorInfo(t),
  };
}

export function wasmTensors(backend: unknown): HostTensors {
  const b = backend as WasmBackendLike;
  return {
    backend: b,
    view: (t) => b.typedArrayFromHeap(t),
    alloc: (shape, dtype, zero = true) => {
      const t = b.makeOutput(shape, dtype); // malloc'd, not zeroed
      if (zero) b.typedArrayFromHeap(t).fill(0);
      return t;
    },
    run: (name, inputs, attrs = {}) => runBackendKernel('wasm', backend, name, inputs, attrs),
    free: (t) => { b.disposeData(t.dataId); },
    isAlive: (dataId) => b.dataIdMap.has(dataId),
  };
}

/** The HostTensors adapter for a host-memory backend name. */
export const HOST_BACKENDS: Record<'cpu' | 'wasm', (backend: unknown) => HostTensors> = { cpu: cpuTensors, wasm: wasmTensors };
