export { runKillLoop } from './run-kill-loop.js';
export type { KillLoopEvent, KillLoopOptions, KillLoopReport } from './run-kill-loop.js';
export { parseKillLoopArgs, describeEvent } from './kill-loop.js';
export { seededRandom } from './seeded-random.js';
