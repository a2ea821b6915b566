import { join } from 'node:path';
import { selectBackend } from '@moe/runtime';
import { DEFAULT_STREAM_CONFIG } from '../data/synthetic-config.js';
import { generateTask } from '../data/synthetic-streams.js';
import { readFeatureVideo, readLabelledFeatureDir, writeLabelledFeatureDir } from '../data/feature-files.js';
import type { VideoDataset } from '../data/video.js';
import { bestF1Threshold } from '../eval/alert-threshold.js';
import { evaluateModel } from '../eval/evaluate.js';
import { scoreVideos } from '../eval/score-videos.js';
import { runExperiment } from '../experiment/run-experiment.js';
import { DEFAULT_MODEL_DIR, loadAnomalyModel, saveAnomalyModel } from '../model/model-artifact.js';
import { parseMethod } from '../model/methods.js';
import { matchedConfigs } from '../model/param-matching.js';
import { DEFAULT_TRAIN_SETTINGS } from '../train/train-model.js';
import { CLI_USAGE, parseCliArgs, type CliOptions } from './cli-args.js';
import { DEFAULT_ARCHITECTURE } from '../experiment/default-architecture.js';

const log = (msg: string): void => void process.stderr.write(`[anomaly] ${msg}\n`);

type Splits = { train: VideoDataset; validation: VideoDataset; test: VideoDataset };

/** `--data dir` (train/ validation/ test/ feature folders) or the seeded synthetic task. */
async function loadSplits(options: CliOptions, classes?: readonly string[]): Promise<Splits> {
  if (options.data === undefined) {
    log(`synthetic §4 task, seed ${options.seed}`);
    return generateTask(DEFAULT_STREAM_CONFIG, options.seed);
  }
  const train = await readLabelledFeatureDir(join(options.data, 'train'), classes);
  const read = (split: string) => readLabelledFeatureDir(join(options.data!, split), train.classes);
  return { train, validation: await read('validation'), test: await read('test') };
}

async function run(options: CliOptions): Promise<unknown> {
  if (options.command === 'generate') {
    const task = generateTask(DEFAULT_STREAM_CONFIG, options.seed);
    const written: Record<string, number> = {};
    for (const split of ['train', 'validation', 'test'] as const) {
      written[split] = (await writeLabelledFeatureDir(join(options.out!, split), task[split])).length;
      log(`wrote ${written[split]} ${split} videos`);
    }
    return { command: 'generate', out: options.out, seed: options.seed, dim: task.train.dim, classes: task.train.classes, videos: written };
  }
  const backend = await selectBackend();
  log(`backend ${backend.backend}`);
  if (options.command === 'train') {
    const method = parseMethod(options.method, '--method');
    const splits = await loadSplits(options);
    const config = matchedConfigs({ ...DEFAULT_ARCHITECTURE, inputDim: splits.train.dim, classes: splits.train.classes.length - 1, seed: options.seed }, [method])[method];
    const { result, model } = await runExperiment(config, splits, { ...DEFAULT_TRAIN_SETTINGS, epochs: options.epochs, seed: options.seed, progress: options.progress }, true);
    const threshold = bestF1Threshold(splits.validation, await scoreVideos(model!, splits.validation.videos));
    const out = options.out ?? join('.data', 'anomaly', 'models', `${method}-s${options.seed}`);
    await saveAnomalyModel(out, model!, { classes: [...splits.train.classes], alert: { threshold: threshold.threshold, release: 0.8 * threshold.threshold, minSnippets: 2, closeAfter: 2 } }, {
      testAuc: result.test.auc,
      testApTrapezoid: result.test.apTrapezoid,
      bestEpoch: result.bestEpoch,
      validationF1: threshold.f1,
    });
    model!.dispose();
    return { command: 'train', out, ...result, alertThreshold: threshold };
  }
  const loaded = await loadAnomalyModel(options.model ?? DEFAULT_MODEL_DIR);
  try {
    if (options.command === 'eval') {
      // Synthetic data must come from the seed the model was trained on: the seed fixes the class directions.
      const { test } = await loadSplits(options, loaded.config.classes);
      return { command: 'eval', model: loaded.dir, method: loaded.config.model.method, metrics: await evaluateModel(loaded.model, test) };
    }
    const video = await readFeatureVideo(options.input!, { label: 0, classIndex: 0 });
    const [scored] = await scoreVideos(loaded.model, [video]);
    return {
      command: 'score',
      model: loaded.dir,
      input: options.input,
      snippets: video.length,
      scores: Array.from(scored.scores, (s) => Number(s.toFixed(5))),
      expert: Array.from(scored.topExpert, (e) => (e > 0 ? loaded.config.classes[e] : 'anomaly')),
    };
  } finally {
    loaded.model.dispose();
  }
}

async function main(): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${CLI_USAGE}\n`);
    return 2;
  }
  const summary = await run(options);
  process.stdout.write(`${JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`anomaly: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
