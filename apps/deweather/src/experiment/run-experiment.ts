import type { TrainEvent } from '@moe/runtime';
import type { WeatherType } from '@moe/vision';
import { loadCleanImages, type CleanImage, type Split } from '../data/clean-images.js';
import { makeEvalPairs, type WeatherPair } from '../data/weather-pairs.js';
import type { FfnVariant } from '../model/ffn-blocks.js';
import type { DeweatherNet } from '../model/deweather-net.js';
import { evaluatePairs, uncertaintyCalibration, type Evaluation } from '../eval/evaluate.js';
import { trainDeweather } from '../train/train-deweather.js';
import { parseExperimentConfig, type ExperimentConfig, type ExperimentConfigInput } from './experiment-config.js';

/** The data of an experiment: clean images per split and the fixed val/test pairs. */
export interface ExperimentData {
  images: Record<Split, CleanImage[]>;
  valPairs: WeatherPair[];
  testPairs: WeatherPair[];
}

export async function prepareExperimentData(config: ExperimentConfig): Promise<ExperimentData> {
  const d = config.data;
  const images = await loadCleanImages({ side: d.side, procedural: d.procedural, real: d.real });
  // Validation uses the training types only: choosing a checkpoint on the held-out types would leak them.
  const valPairs = makeEvalPairs(images.val, { crop: d.crop, cropsPerImage: d.valCropsPerImage, types: config.trainTypes, seed: 11 });
  const testPairs = makeEvalPairs(images.test, { crop: d.crop, cropsPerImage: d.testCropsPerImage, types: config.evalTypes, seed: 13 });
  return { images, valPairs, testPairs };
}

/** One trained model's result on the test pairs. */
export interface RunResult {
  variant: FfnVariant;
  seed: number;
  params: number;
  activeParams: number;
  ffnParams: number;
  bestStep: number;
  bestValPsnr: number;
  finalValPsnr: number;
  trainSeconds: number;
  test: Omit<Evaluation, 'perPair'>;
  calibration?: ReturnType<typeof uncertaintyCalibration>;
}

export interface ExperimentResult {
  config: ExperimentConfig;
  data: { train: string[]; val: string[]; test: string[]; valPairs: number; testPairs: number };
  heldOut: WeatherType[];
  runs: RunResult[];
}

/** Trains every variant × seed on the train split, selects on val, evaluates once on test. */
export async function runExperiment(input: ExperimentConfigInput, hooks: { signal?: AbortSignal; onEvent?: (run: string, e: TrainEvent) => void; onRun?: (r: RunResult, net: DeweatherNet) => Promise<void> | void; data?: ExperimentData } = {}): Promise<ExperimentResult> {
  const config = parseExperimentConfig(input);
  const data = hooks.data ?? (await prepareExperimentData(config));
  const heldOut = config.evalTypes.filter((t) => !config.trainTypes.includes(t));
  const runs: RunResult[] = [];
  for (const variant of config.variants) {
    for (const seed of config.seeds) {
      const t = await trainDeweather({
        model: { ...config.model, variant, seed },
        trainImages: data.images.train,
        valPairs: data.valPairs,
        types: config.trainTypes,
        steps: config.training.steps,
        batch: config.training.batch,
        crop: config.data.crop,
        learningRate: config.training.learningRate,
        evalEvery: config.training.evalEvery,
        seed,
        onEvent: (e) => hooks.onEvent?.(`${variant}/seed${seed}`, e),
        signal: hooks.signal,
      });
      if (t.stopReason === 'aborted') {
        t.net.dispose();
        throw new Error('training was cancelled');
      }
      try {
        const ev = await evaluatePairs(t.net, data.testPairs);
        const { perPair: _perPair, ...test } = ev;
        void _perPair;
        const r: RunResult = {
          variant,
          seed,
          params: t.net.countParams(),
          activeParams: t.net.activeParams(),
          ffnParams: t.net.ffns.reduce((s, f) => s + f.countParams(), 0),
          bestStep: t.bestStep,
          bestValPsnr: t.bestValPsnr,
          finalValPsnr: t.finalValPsnr,
          trainSeconds: t.seconds,
          test,
          ...(heldOut.length ? { calibration: uncertaintyCalibration(ev, heldOut) } : {}),
        };
        runs.push(r);
        await hooks.onRun?.(r, t.net);
      } finally {
        t.net.dispose();
      }
    }
  }
  const names = (s: Split) => data.images[s].map((i) => i.name);
  return { config, data: { train: names('train'), val: names('val'), test: names('test'), valPairs: data.valPairs.length, testPairs: data.testPairs.length }, heldOut, runs };
}
