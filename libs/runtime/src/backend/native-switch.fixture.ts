/**
 * Spec fixture (run as a child process by select-backend.spec.ts, with MOE_NATIVE / MOE_NATIVE_BLAS set):
 * selects wasm, prints the selection summary (which says whether the native matmul path is on and why not),
 * then shows that wasm computes either way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './select-backend.js';

const selection = await selectBackend({ request: 'wasm' });
console.log(selection.summary);
const t = tf.tensor([1, 2, 3]);
console.log(`sum=${(await tf.sum(t).data())[0]}`);
