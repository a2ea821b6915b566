// The anomaly benchmark's work (tools/bench/src/suites/anomaly.ts spawns this and formats its JSON): every
// (method, seed) cell of the synthetic §4 task, cached under bench/results/anomaly-cells/ so an interrupted run
// resumes, then streaming throughput of the GS-MoE model. Prints one JSON object on stdout.
//   node --conditions=@moe/source --import tsx apps/anomaly/src/bench/bench-main.ts <cellsDir> <seeds,> <methods,> <epochs>
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '@moe/runtime';
import { DEFAULT_STREAM_CONFIG } from '../data/synthetic-config.js';
import { generateTask } from '../data/synthetic-streams.js';
import { DEFAULT_ARCHITECTURE } from '../experiment/default-architecture.js';
import { runExperiment, type ExperimentResult } from '../experiment/run-experiment.js';
import { AnomalyModel } from '../model/anomaly-model.js';
import { parseMethod } from '../model/methods.js';
import { matchedConfigs } from '../model/param-matching.js';
import { DEFAULT_TRAIN_SETTINGS } from '../train/train-model.js';
import { measureStreamingThroughput } from './throughput.js';

const [cellsDir, seedList, methodList, epochsText] = process.argv.slice(2);
const seeds = seedList.split(',').map(Number);
const methods = methodList.split(',').map((m) => parseMethod(m, 'methods'));
const epochs = Number(epochsText);
// wasm unless MOE_BACKEND says otherwise: 'auto' would pick software webgpu (lavapipe) on a CPU machine.
const backend = await selectBackend({ request: process.env.MOE_BACKEND ?? 'wasm' });
mkdirSync(cellsDir, { recursive: true });
const cells: ExperimentResult[] = [];
for (const seed of seeds) {
  const task = generateTask(DEFAULT_STREAM_CONFIG, seed);
  const configs = matchedConfigs({ ...DEFAULT_ARCHITECTURE, inputDim: task.train.dim, classes: task.train.classes.length - 1, seed }, methods);
  for (const method of methods) {
    const file = join(cellsDir, `${method}__s${seed}__e${epochs}.json`);
    if (existsSync(file)) {
      cells.push(JSON.parse(readFileSync(file, 'utf8')) as ExperimentResult);
      continue;
    }
    const t0 = Date.now();
    const { result } = await runExperiment(configs[method], task, { ...DEFAULT_TRAIN_SETTINGS, epochs, seed });
    process.stderr.write(`[anomaly bench] ${method} seed ${seed}: test AUC ${result.test.auc.toFixed(4)} (best epoch ${result.bestEpoch}), ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    writeFileSync(`${file}.tmp`, JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v)));
    renameSync(`${file}.tmp`, file);
    cells.push(result);
  }
}
const task = generateTask(DEFAULT_STREAM_CONFIG, seeds[0]);
const model = new AnomalyModel(matchedConfigs({ ...DEFAULT_ARCHITECTURE, inputDim: task.train.dim, classes: task.train.classes.length - 1, seed: 1 }, ['gsmoe']).gsmoe);
const throughput = await measureStreamingThroughput(model, task.train.classes);
model.dispose();
process.stdout.write(`${JSON.stringify({ backend: backend.backend, epochs, seeds, methods, classes: task.train.classes, cells, throughput })}\n`);
