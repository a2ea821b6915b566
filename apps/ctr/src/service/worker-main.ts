// Online CTR worker: `npm run moe -- apps/ctr/src/service/worker-main.ts --model <artifact> --events events.ndjson
//   [--state worker-state.json] [--window-ms 60000] [--batch 256] [--follow] [--out <fine-tuned artifact>]`
// Reads impression and click events (NDJSON: {type:'impression', id, ts, row} / {type:'click', impressionId, ts}),
// joins clicks to impressions within the window, fine-tunes the model and recalibrates it per domain; the
// join state and calibration are checkpointed with the stream position (restart neither loses nor
// double-applies an event), and the fine-tuned weights are saved to --out at the end.
import { selectBackend } from '@moe/runtime';
import '@moe/kernels';
import { FileWorkerStore, NdjsonFileSource, runWorker, stopOnSignals } from '@moe/service';
import { loadCtrArtifact, saveCtrArtifact } from '../artifact/model-artifact.js';
import { ModelSlot } from './model-slot.js';
import { OnlineLearner } from './online-learner.js';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing ${name}`);
  return v;
}

const selection = await selectBackend({ request: process.env.MOE_BACKEND ?? 'wasm' });
process.stderr.write(`${selection.summary}\n`);
const slot = new ModelSlot();
const artifact = await loadCtrArtifact(arg('--model'));
slot.swap(artifact, 'worker');
const events = arg('--events');
const learner = new OnlineLearner<unknown>(slot, { joinWindowMs: Number(arg('--window-ms', '60000')), batchSize: Number(arg('--batch', '256')) });
const worker = await runWorker({
  source: new NdjsonFileSource({ path: events, follow: process.argv.includes('--follow') }),
  handler: learner,
  store: new FileWorkerStore({ path: arg('--state', `${events}.ctr-worker.json`) }),
});
stopOnSignals(worker);
await worker.done;
if (process.argv.includes('--out')) await saveCtrArtifact(arg('--out'), { ...artifact, metadata: { ...artifact.metadata, fineTuned: learner.stats.fineTuneSteps } });
process.stdout.write(JSON.stringify(learner.stats, null, 2) + '\n');
slot.dispose();
learner.dispose();
