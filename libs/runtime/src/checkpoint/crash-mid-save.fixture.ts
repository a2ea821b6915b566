/**
 * Spec fixture (run as a child process by checkpoint.spec.ts): saves a checkpoint into argv[2] and kills
 * itself with SIGKILL after argv[3] data files are on disk, i.e. a real crash before the manifest swap.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { saveCheckpoint } from './save-checkpoint.js';

const [dir, killAfter] = process.argv.slice(2);
await tf.setBackend('cpu');
let written = 0;
await saveCheckpoint(dir, { config: { version: 'crashed' }, weights: { w: tf.fill([64], 9) } }, {
  onFileWritten: () => {
    if (++written >= Number(killAfter)) process.kill(process.pid, 'SIGKILL');
  },
});
