import { generateSynthetic } from '../data/synthetic-generator.js';
import { prepareSynthetic } from '../experiment/synthetic-split.js';
import { createModel } from '../model/create-model.js';
import type { ModelConfigInput } from '../model/model-config.js';
import { trainModel } from '../train/trainer.js';
import { benchSizes } from './settings.js';

export interface TimingRow {
  domains: number;
  model: string;
  secondsPerEpoch: number;
  samplesPerSecond: number;
  params: number;
}

const MODELS: { name: string; config: ModelConfigInput }[] = [
  { name: 'Shared-Bottom', config: { kind: 'shared-bottom' } },
  { name: 'Per-domain towers', config: { kind: 'per-domain' } },
  { name: 'STAR', config: { kind: 'star' } },
  { name: 'AdaptDHM K=4 sparse', config: { kind: 'adaptdhm', clusters: 4, dispatch: 'sparse' } },
  { name: 'AdaptDHM K=4 dense-masked', config: { kind: 'adaptdhm', clusters: 4, dispatch: 'dense' } },
];

/**
 * ctr.md §3.5: time per epoch and samples/s at equal embedding size, batch composition and hidden sizes, on
 * one dataset per domain count; models run interleaved for `repeats` rounds so machine-load drift (the
 * machine is shared) hits every model alike, and the median epoch is reported.
 */
export async function measureTrainingTime(quick: boolean, log: (m: string) => void = () => {}): Promise<TimingRow[]> {
  const rows: TimingRow[] = [];
  const sizes = benchSizes(quick);
  // The first round is a warm-up (wasm kernel set-up, allocator growth) and is discarded.
  const repeats = quick ? 2 : 4;
  for (const domains of [8, 32]) {
    const data = generateSynthetic({ rows: quick ? 6000 : 20000, seed: 77, numDomains: domains, numClusters: 4, zipfExponent: 1, numUsers: 600, numItems: 300, numCategories: 20, domainSignal: 0.5 });
    const splits = prepareSynthetic(data, { trainFraction: 0.9, validFraction: 0.05 });
    const times = new Map<string, number[]>(MODELS.map((m) => [m.name, []]));
    const params = new Map<string, number>();
    for (let r = 0; r < repeats; r++) {
      for (const m of MODELS) {
        const model = createModel(splits.processor.layout, { ...m.config, hidden: [64, 32], tower: [16], seed: 1 });
        const result = await trainModel(model, splits.train, { ...sizes.train, epochs: 1, seed: r });
        if (r > 0) times.get(m.name)!.push(result.secondsPerEpoch);
        params.set(m.name, model.countParams(true));
        model.dispose();
      }
    }
    for (const m of MODELS) {
      const sorted = [...times.get(m.name)!].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      rows.push({ domains, model: m.name, secondsPerEpoch: median, samplesPerSecond: splits.train.size / median, params: params.get(m.name)! });
      log(`timing D=${domains} ${m.name}: ${median.toFixed(2)} s/epoch`);
    }
  }
  return rows;
}
