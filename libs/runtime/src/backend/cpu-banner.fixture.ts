/**
 * Spec fixture (run as a child process by select-backend.spec.ts): writes a tensor on the cpu backend,
 * either after selectBackend (argv[2] = 'select') or after a plain tf.setBackend (the control, which must
 * show tfjs' Node.js banner, so the spec can tell that silencing works and is not vacuous).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from './select-backend.js';

if (process.argv[2] === 'select') await selectBackend({ request: 'cpu' });
else await tf.setBackend('cpu');
const t = tf.tensor([1, 2, 3]);
console.log(`sum=${(await tf.sum(t).data())[0]}`);
