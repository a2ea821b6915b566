import * as tf from '@tensorflow/tfjs-core';
import { MOE_GROUPED_MATMUL, MOE_GROUPED_MATMUL_WEIGHT_GRAD } from '@moe/kernels';
import type { CblasLibrary } from './cblas-library.js';
import { nativeBatchMatMul, nativeFusedMatMul, type FusedMatMulAttrs, type FusedMatMulInputs } from './kernels/batch-mat-mul.js';
import { nativeGroupedMatMul, nativeGroupedMatMulWeightGrad } from './kernels/grouped-mat-mul.js';
import { activeLibrary, countNativeCall } from './native-path.js';
import { WasmHeap } from './wasm-heap.js';

type Inputs = Record<string, tf.TensorInfo>;
type Attrs = Record<string, unknown>;
/** A native kernel body; undefined means "not for these inputs" (the wrapped wasm kernel runs instead). */
type NativeBody = (blas: CblasLibrary, heap: WasmHeap, inputs: Inputs, attrs: Attrs) => tf.TensorInfo | undefined;

const allFloat = (...ts: (tf.TensorInfo | undefined)[]) => ts.every((t) => t == null || t.dtype === 'float32');

const BODIES: Record<string, NativeBody> = {
  [tf.BatchMatMul]: (blas, heap, { a, b }, attrs) =>
    allFloat(a, b) ? nativeBatchMatMul(blas, heap, a, b, Boolean(attrs.transposeA), Boolean(attrs.transposeB)) : undefined,
  [tf._FusedMatMul]: (blas, heap, inputs, attrs) => {
    const i = inputs as unknown as FusedMatMulInputs;
    if (!allFloat(i.a, i.b, i.bias, i.preluActivationWeights)) return undefined;
    const a = attrs as unknown as FusedMatMulAttrs;
    return nativeFusedMatMul(blas, heap, i, { ...a, transposeA: Boolean(a.transposeA), transposeB: Boolean(a.transposeB) });
  },
  [MOE_GROUPED_MATMUL]: (blas, heap, { x, w, offsets }, attrs) =>
    allFloat(x, w) ? nativeGroupedMatMul(blas, heap, x, w, offsets, Boolean(attrs.transposeW)) : undefined,
  [MOE_GROUPED_MATMUL_WEIGHT_GRAD]: (blas, heap, { a, b, offsets }) =>
    allFloat(a, b) ? nativeGroupedMatMulWeightGrad(blas, heap, a, b, offsets) : undefined,
  // Not a GEMM, but on the same hot path: tfjs saves every tensor a gradient needs through Identity (engine.clone), and wasm's
  // Identity copies it. For an MoE step that is each expert weight tensor (E·d·h floats) and each activation, every step, so the
  // copies grow with E. Kernels never write into their inputs, so a second reference is as good as a copy (the cpu backend's
  // Identity shares data the same way).
  [tf.Identity]: (_blas, heap, { x }) => (x.dtype === 'string' ? undefined : heap.share(x)),
};

const WRAPPED = Symbol.for('@moe/native/wrapped');
// @moe/kernels wraps wasm's BatchMatMul (explicit transposes for XNNPACK) at backend setup unless the kernel
// carries this mark. The native kernel takes transposed operands directly and delegates to that wrapper when
// off, so it carries the mark too: the wrapper must stay underneath it, never be put on top of it.
const TRANSPOSES_HANDLED = Symbol.for('@moe/kernels/wasm-transposed-matmul');
const HOOK = 'MoeNativeKernelHooks';

/** Puts each native kernel over the wasm kernel registered now; the wasm one runs whenever native is off. */
function wrapWasmKernels(): void {
  for (const [kernelName, body] of Object.entries(BODIES)) {
    const previous = tf.getKernel(kernelName, 'wasm');
    if (previous == null || (previous as unknown as Record<symbol, boolean>)[WRAPPED]) continue;
    const kernelFunc: tf.KernelFunc = (args) => {
      const blas = activeLibrary();
      const out = blas && body(blas, new WasmHeap(args.backend as tf.KernelBackend), args.inputs as Inputs, (args.attrs ?? {}) as Attrs);
      if (out == null) return previous.kernelFunc(args);
      countNativeCall();
      return out;
    };
    const wrapped: tf.KernelConfig = { ...previous, kernelFunc };
    Object.assign(wrapped, { [WRAPPED]: true, [TRANSPOSES_HANDLED]: true });
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(wrapped);
  }
}

/**
 * Registers the native kernels over the wasm backend's, once per process. The wasm package registers its
 * kernels when imported (possibly later) and @moe/kernels wraps BatchMatMul when the backend is set up, so a
 * hook kernel, registered after @moe/kernels' own, wraps at every setup of wasm, and right away if wasm is
 * already running. Registration alone changes nothing: the kernels run natively only while the path is
 * enabled ({@link activateNativePath} / {@link setNativeEnabled}).
 */
export function registerNativeKernels(): void {
  if (tf.getKernel(HOOK, 'wasm') != null) return;
  tf.registerKernel({
    kernelName: HOOK, backendName: 'wasm',
    kernelFunc: () => { throw new Error(`${HOOK} is a setup hook, not a kernel`); },
    setupFunc: wrapWasmKernels,
  });
  const registry = (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
  if (registry.wasm != null) wrapWasmKernels();
}
