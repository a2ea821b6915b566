import { describe, expect, it } from 'vitest';
import { FeatureProcessor } from './feature-processor.js';
import { parseConfigText, parseFeatureConfig } from './feature-config.js';
import type { RawRow } from '../data/raw-row.js';

const config = {
  embeddingDim: 4,
  domain: { field: 'scene' },
  groupField: 'user',
  features: [
    { name: 'user', type: 'categorical', minCount: 2 },
    { name: 'ad', type: 'categorical', vocab: 'hash', numBuckets: 16 },
    { name: 'price', type: 'numeric' },
    { name: 'clicks', type: 'sequence', maxLen: 3 },
  ],
  tasks: [{ name: 'ctr', label: 'click' }, { name: 'cvr', label: 'buy', chainOf: 'ctr' }],
};

const train: RawRow[] = [
  { scene: 'home', user: 'a', ad: 'x', price: 1, clicks: ['p', 'q'], click: 1, buy: 0 },
  { scene: 'home', user: 'a', ad: 'y', price: 3, clicks: 'q^r', click: 0, buy: 0 },
  { scene: 'search', user: 'b', ad: 'x', price: 5, clicks: [], click: 1, buy: 1 },
];

describe('feature processor', () => {
  it('fits vocabularies, domains and scalers on the training rows only', () => {
    const fp = FeatureProcessor.fit(config, train);
    expect(fp.domains).toEqual(['home', 'search']);
    const test = fp.transform([{ scene: 'search', user: 'zzz', ad: 'x', price: 100, clicks: ['p', 'p', 'q', 'new'], click: 0, buy: 0 }]);
    const state = fp.toJSON();
    // Mean/std from train only (1, 3, 5 → mean 3, population std √(8/3)); the test value 100 does not move them.
    expect(state.scalers.price.center).toBeCloseTo(3, 12);
    expect(state.scalers.price.scale).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(test.dense[0]).toBeCloseTo((100 - 3) / Math.sqrt(8 / 3), 5);
    // 'b' is below minCount 2 and 'zzz' unseen: both the OOV id (row 0 of the user block = 2 domains).
    expect(state.vocabs.user).toEqual({ kind: 'build', values: ['a'] });
    expect(test.fieldIds[1]).toBe(2);
    // Sequences keep the most recent maxLen items (p, q, new); ids by training frequency (q: 1, p: 2); unseen 'new' → OOV 0.
    const [userBlock, adBlock] = [2, 2 + 2];
    const seqBlock = adBlock + 16;
    expect(userBlock).toBe(2);
    expect(Array.from(test.seqIds)).toEqual([seqBlock + 2, seqBlock + 1, seqBlock + 0]);
    const empty = fp.transform([{ scene: 'home', user: 'a', ad: 'x', price: 1, clicks: [] }]);
    expect(Array.from(empty.seqIds)).toEqual([-1, -1, -1]);
    expect(Number.isNaN(empty.labels[0][0])).toBe(true);
    expect(fp.layout.tasks.map((t) => t.chainOf)).toEqual([-1, 0]);
    expect(fp.layout.tableRows).toBe(2 + 2 + 16 + 4);
  });

  it('round-trips through JSON and encodes identically', () => {
    const fp = FeatureProcessor.fit(config, train);
    const copy = FeatureProcessor.fromJSON(JSON.parse(JSON.stringify(fp.toJSON())));
    expect(copy.transform(train)).toEqual(fp.transform(train));
  });

  it('strict mode names the row and field of bad input', () => {
    const fp = FeatureProcessor.fit(config, train);
    const ok = { scene: 'home', user: 'a', ad: 'x', price: 2, clicks: ['p'] };
    expect(() => fp.transform([ok, { ...ok, scene: 'video' }], { strict: true })).toThrow(/row 1: unknown domain 'video' in field 'scene' \(known: home, search\)/);
    expect(() => fp.transform([{ ...ok, price: undefined }], { strict: true })).toThrow(/row 0: missing field 'price'/);
    expect(() => fp.transform([{ ...ok, price: 'cheap' }], { strict: true })).toThrow(/field 'price' expected a finite number, got string "cheap"/);
    expect(() => fp.transform([{ ...ok, user: ['a'] }], { strict: true })).toThrow(/field 'user' expected a string or number, got an array/);
    expect(() => fp.transform([{ ...ok, click: 2 }])).toThrow(/label 'click' expected 0 or 1, got number 2/);
  });

  it('config errors name the field', () => {
    expect(() => parseFeatureConfig({ ...config, features: [{ name: 'ad', type: 'categorical', vocab: 'hash' }] })).toThrow(/featureConfig.features.0.numBuckets/);
    expect(() => parseFeatureConfig({ ...config, tasks: [{ name: 'cvr', label: 'buy', chainOf: 'ctr' }] })).toThrow(/featureConfig.tasks.0.chainOf/);
    expect(() => parseFeatureConfig({ ...config, embeddingDim: 0 })).toThrow(/featureConfig.embeddingDim/);
    expect(parseConfigText('embeddingDim: 4\ndomain: {field: s}\n', 'x.yaml')).toEqual({ embeddingDim: 4, domain: { field: 's' } });
    expect(() => parseConfigText('{bad', 'x.json')).toThrow(/cannot parse x.json as JSON/);
  });
});
