import { readArff, SeaGenerator } from '@moe/stream';
import { describe, expect, it } from 'vitest';
import { createLearner } from '../model/methods.js';
import { runPrequential } from './prequential-run.js';

describe('runPrequential', () => {
  it('tests then trains over a generator, recording curve points and progress', async () => {
    const g = new SeaGenerator();
    const progress: number[] = [];
    const r = await runPrequential(createLearner('driftmoe-data', g.schema), g, { limit: 600, curveEvery: 200, progressEvery: 300, onProgress: (n) => progress.push(n) });
    expect(r.metrics.instances).toBe(600);
    expect(r.curve.map((p) => p.instances)).toEqual([200, 400, 600]);
    // Usage per curve interval sums to the interval length (one chosen expert per instance).
    expect(r.curve[1].expertUsage.reduce((a, b) => a + b, 0)).toBe(200);
    expect(progress).toEqual([300, 600]);
    expect(r.instancesPerCpuSecond).toBeGreaterThan(0);
  });

  it('runs over an ARFF stream to its end and skips unlabelled rows', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i % 2 ? 'a' : 'b'},${(i % 7) / 7},${i % 2 ? 'UP' : 'DOWN'}`);
    rows[5] = 'a,0.5,?';
    const { schema, instances } = await readArff(`@relation t\n@attribute s {a,b}\n@attribute v numeric\n@attribute class {UP,DOWN}\n@data\n${rows.join('\n')}\n`);
    const r = await runPrequential(createLearner('ht', schema), instances);
    expect(r.metrics.instances).toBe(299);
    expect(r.metrics.accuracy).toBeGreaterThan(0.9);
  });
});
