import * as tf from '@tensorflow/tfjs-core';

/**
 * A kernel whose body is tfjs ops running on the backend's own (native) kernels, e.g. the wasm fills:
 * UnsortedSegmentSum as one ScatterNd, a conv weight gradient as strided slices + XNNPACK matmuls.
 *
 * Inside a kernel the engine records nothing on the gradient tape, so the ops only compute. The inputs
 * arrive as TensorInfos: each is wrapped in a Tensor that takes its own reference on the data (released on
 * dispose), and the result keeps one extra reference that the engine adopts as the kernel's output.
 */
export function opsKernelFunc(body: (inputs: tf.Tensor[] | Record<string, tf.Tensor>, attrs: tf.NamedAttrMap) => tf.Tensor): tf.KernelFunc {
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as tf.KernelBackend;
    const engine = tf.engine();
    const wrap = (info: tf.TensorInfo): tf.Tensor => {
      backend.incRef(info.dataId);
      return engine.makeTensorFromTensorInfo(info, backend);
    };
    // Einsum passes its operands as an array; every other kernel as a name → tensor map.
    const wrapped = Array.isArray(inputs)
      ? (inputs as tf.TensorInfo[]).map(wrap)
      : Object.fromEntries(Object.entries(inputs).map(([name, info]) => [name, wrap(info as tf.TensorInfo)]));
    let result: tf.Tensor | undefined;
    try {
      result = tf.tidy(() => body(wrapped, attrs ?? {}));
      backend.incRef(result.dataId);
      return { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
    } finally {
      result?.dispose();
      tf.dispose(Array.isArray(wrapped) ? wrapped : Object.values(wrapped));
    }
  };
}
