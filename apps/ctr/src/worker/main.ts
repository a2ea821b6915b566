// The online CTR worker as a process: `npm run moe -- apps/ctr/src/worker/main.ts --source file:events.ndjson
//   --model-version active` (see USAGE in worker-args.ts). Prints one JSON line when ready and one with the
// final counters; SIGTERM/SIGINT stop it gracefully (what was read is committed first).
import '@moe/kernels';
import { selectBackend } from '@moe/runtime';
import { stopOnSignals } from '@moe/service';
import { runCtrWorker } from './run-ctr-worker.js';
import { parseCtrWorkerArgs, USAGE } from './worker-args.js';

let config;
try {
  config = parseCtrWorkerArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
const backend = await selectBackend({ request: process.env.MOE_BACKEND ?? 'wasm' });
process.stderr.write(`${backend.summary}\n`);
const running = await runCtrWorker(config, {
  logger: {
    info: () => {},
    warn: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...fields })}\n`),
    error: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'error', message, err: String(fields.err ?? '') })}\n`),
  },
  // One line per durable commit: where the stream is and what the learner has done (tools watch for these).
  onCommit: (info) => process.stdout.write(`${JSON.stringify({ commit: info.position, applied: info.applied, duplicates: info.duplicates, deadLettered: info.deadLettered })}\n`),
});
stopOnSignals(running.worker, { onStopped: () => undefined });
process.stdout.write(`${JSON.stringify({ ready: true, source: config.source, ...(running.pushUrl ? { pushUrl: running.pushUrl } : {}) })}\n`);
// Steps restored from the checkpoint: a run that adds none has nothing new to publish at the end.
const stepsAtStart = running.learner.stats.fineTuneSteps;
try {
  const stats = await running.done;
  const published = config.publishEvery > 0 && running.learner.stats.fineTuneSteps > stepsAtStart ? await running.publish() : undefined;
  process.stdout.write(`${JSON.stringify({ done: true, worker: stats, online: running.learner.stats, ...(published !== undefined ? { publishedVersionId: published } : {}) })}\n`);
  await running.close();
} catch (e) {
  process.stderr.write(`ctr worker failed: ${(e as Error).stack ?? String(e)}\n`);
  await running.close().catch(() => undefined);
  process.exit(1);
}
