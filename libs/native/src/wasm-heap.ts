import * as tf from '@tensorflow/tfjs-core';

/** The members of tfjs-backend-wasm 4.22's BackendWasm that the native kernels use. */
interface BackendWasmLike {
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId): boolean;
  incRef(dataId: tf.DataId): void;
}

/**
 * Tensors of the wasm backend as views of its WebAssembly heap. A view is the tensor's own memory: native
 * code reads and writes it in place (zero-copy). Every allocation may grow the heap, which detaches the
 * views taken before it: take views after the last `alloc`/`run` that precedes their use.
 */
export class WasmHeap {
  private readonly b: BackendWasmLike;

  constructor(readonly backend: tf.KernelBackend) {
    this.b = backend as unknown as BackendWasmLike;
  }

  /** A float32 view of the tensor's data in the heap. */
  f32(t: tf.TensorInfo): Float32Array {
    if (t.dtype !== 'float32') throw new Error(`WasmHeap.f32: expected a float32 tensor; got ${t.dtype}`);
    return this.b.typedArrayFromHeap(t) as Float32Array;
  }

  /** An int32 view of the tensor's data in the heap. */
  i32(t: tf.TensorInfo): Int32Array {
    if (t.dtype !== 'int32') throw new Error(`WasmHeap.i32: expected an int32 tensor; got ${t.dtype}`);
    return this.b.typedArrayFromHeap(t) as Int32Array;
  }

  /** A new float32 tensor on the heap; its contents are undefined (malloc), so callers overwrite or fill it. */
  alloc(shape: number[]): tf.TensorInfo {
    return this.b.makeOutput(shape, 'float32');
  }

  /** Runs one of the wasm backend's own kernels (bias add, activations) on tensor infos. */
  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (kernel == null) throw new Error(`kernel ${kernelName} is not registered for backend wasm`);
    const out = kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend: this.backend, attrs: attrs as tf.NamedAttrMap });
    return Array.isArray(out) ? out[0] : out;
  }

  /** The same data under a second reference (what wasm's own Reshape does): no copy, freed when both are disposed. */
  share(t: tf.TensorInfo): tf.TensorInfo {
    this.b.incRef(t.dataId);
    return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
  }

  /** Frees a tensor this kernel allocated and does not return. */
  free(t: tf.TensorInfo): void {
    this.b.disposeData(t.dataId);
  }
}
