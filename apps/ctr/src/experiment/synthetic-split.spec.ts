import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../data/synthetic-generator.js';
import type { EncodedBatch } from '../features/encoded-batch.js';
import { prepareSynthetic, prepareSyntheticStream } from './synthetic-split.js';

const same = (a: EncodedBatch, b: EncodedBatch) => {
  expect(a.size).toBe(b.size);
  for (const k of ['fieldIds', 'seqIds', 'dense', 'domain', 'groups'] as const) expect(Array.from(a[k])).toEqual(Array.from(b[k]));
  a.labels.forEach((l, t) => expect(Array.from(l)).toEqual(Array.from(b.labels[t])));
};

describe('streamed synthetic splits', () => {
  it('are bit-identical to generating every row and splitting in memory (chunks straddling no split)', () => {
    const cfg = { rows: 3000, seed: 11, numDomains: 5, numUsers: 120, numItems: 80, domainSignal: 0.5, extraTasks: [{ name: 'conv', baseRate: 0.2, chainOf: 'click' }] };
    const data = generateSynthetic(cfg);
    const mem = prepareSynthetic(data);
    // 333 does not divide the split sizes (2100 / 300 / 600), so chunks end early at each boundary.
    const streamed = prepareSyntheticStream(cfg, { chunkRows: 333 });
    expect(streamed.processor.toJSON()).toEqual(mem.processor.toJSON());
    same(streamed.train, mem.train);
    same(streamed.valid, mem.valid);
    same(streamed.test, mem.test);
    streamed.testTrueP!.forEach((p, t) => expect(Array.from(p)).toEqual(Array.from(mem.testTrueP![t])));
    expect(Array.from(streamed.testCluster!)).toEqual(Array.from(mem.testCluster!));
    expect(streamed.stats.mutualInformation).toBe(data.stats.mutualInformation);
    expect(streamed.stats.domainShares).toEqual(data.stats.domainShares);
    expect(streamed.tasks).toEqual(['click', 'conv']);
  });

  it('rejects a bad chunk size and too few rows, naming the argument', () => {
    expect(() => prepareSyntheticStream({ rows: 100 }, { chunkRows: 0 })).toThrow(/chunkRows expected a positive integer, got 0/);
    expect(() => prepareSyntheticStream({ rows: 3 })).toThrow(/3 rows are too few/);
  });
});
