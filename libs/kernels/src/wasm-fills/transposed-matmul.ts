import * as tf from '@tensorflow/tfjs-core';
import { registerKernelOnce } from '../util/register-kernel-once.js';

const WRAPPED = Symbol.for('@moe/kernels/wasm-transposed-matmul');
const HOOK = 'MoeWasmKernelHooks';

/**
 * wasm's BatchMatMul uses XNNPACK only when neither operand is transposed; otherwise it runs a generic
 * loop measured here at 2.2 GFLOP/s (b transposed) and 0.4 GFLOP/s (a transposed) against 29 GFLOP/s, for
 * 1024×512×1024. Every matmul gradient transposes an operand, so training dense layers on wasm spent most
 * of its time there. The wrapper transposes explicitly (a native, memory-bound kernel) and calls the
 * original kernel untransposed.
 */
function wrapBatchMatMul(): void {
  const original = tf.getKernel(tf.BatchMatMul, 'wasm');
  if (original == null || (original as unknown as Record<symbol, boolean>)[WRAPPED]) return;
  const transposeKernel = tf.getKernel(tf.Transpose, 'wasm');
  if (transposeKernel == null) return;
  const swapLast = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    const temps: tf.TensorInfo[] = [];
    const materialise = (t: tf.TensorInfo, transpose: boolean | undefined): tf.TensorInfo => {
      if (!transpose) return t;
      const out = transposeKernel.kernelFunc({ inputs: { x: t }, backend: args.backend, attrs: { perm: swapLast(t.shape.length) } }) as tf.TensorInfo;
      temps.push(out);
      return out;
    };
    try {
      return original.kernelFunc({ ...args, inputs: { a: materialise(a, attrs.transposeA), b: materialise(b, attrs.transposeB) }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      temps.forEach((t) => (args.backend as tf.KernelBackend).disposeData(t.dataId));
    }
  };
  const wrapped: tf.KernelConfig = { ...original, kernelFunc };
  (wrapped as unknown as Record<symbol, boolean>)[WRAPPED] = true;
  tf.unregisterKernel(tf.BatchMatMul, 'wasm');
  tf.registerKernel(wrapped);
}

/**
 * The wasm package registers its kernels when imported, possibly after this package; a kernel's setupFunc
 * runs whenever its backend becomes active, by which time the package is loaded, so a hook kernel wraps
 * BatchMatMul then (and right away if wasm is already loaded).
 */
export function registerWasmTransposedMatMul(): void {
  registerKernelOnce({
    kernelName: HOOK, backendName: 'wasm',
    kernelFunc: () => { throw new Error(`${HOOK} is a setup hook, not a kernel`); },
    setupFunc: wrapBatchMatMul,
  });
  wrapBatchMatMul();
}
