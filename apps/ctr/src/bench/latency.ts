import { generateSynthetic } from '../data/synthetic-generator.js';
import { prepareSynthetic } from '../experiment/synthetic-split.js';
import { createModel } from '../model/create-model.js';
import type { ModelConfigInput } from '../model/model-config.js';
import { predict } from '../train/predict.js';
import { trainModel } from '../train/trainer.js';

export interface LatencyRow {
  model: string;
  batch: number;
  p50Ms: number;
  p99Ms: number;
  iterations: number;
}

const MODELS: { name: string; config: ModelConfigInput }[] = [
  { name: 'Shared-Bottom', config: { kind: 'shared-bottom' } },
  { name: 'MMoE', config: { kind: 'mmoe', hidden: [32, 16], numExperts: 4 } },
  { name: 'STAR', config: { kind: 'star' } },
  { name: 'AdaptDHM K=4', config: { kind: 'adaptdhm', clusters: 4 } },
];

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Serving latency of the whole predict path (strict feature transform of raw rows + forward + read-back),
 * in-process, after a warm-up; batch 1 and 256.
 */
export async function measureLatency(quick: boolean, log: (m: string) => void = () => {}): Promise<LatencyRow[]> {
  const data = generateSynthetic({ rows: 4000, seed: 5, numDomains: 8, numUsers: 300, numItems: 200 });
  const splits = prepareSynthetic(data);
  const raw = data.rows.slice(-1000);
  const out: LatencyRow[] = [];
  for (const m of MODELS) {
    const model = createModel(splits.processor.layout, { ...m.config, seed: 1 });
    await trainModel(model, splits.train, { epochs: 1, batchSize: 512, learningRate: 3e-3, seed: 1 });
    for (const batch of [1, 256]) {
      const iterations = quick ? 20 : batch === 1 ? 300 : 60;
      const times: number[] = [];
      for (let i = 0; i < iterations + 5; i++) {
        const start = (i * batch) % (raw.length - batch);
        const t0 = performance.now();
        const encoded = splits.processor.transform(raw.slice(start, start + batch), { strict: true });
        await predict(model, encoded);
        if (i >= 5) times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      out.push({ model: m.name, batch, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), iterations });
      log(`latency ${m.name} batch ${batch}: p50 ${percentile(times, 0.5).toFixed(2)} ms`);
    }
    model.dispose();
  }
  return out;
}
