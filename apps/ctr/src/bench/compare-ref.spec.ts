import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBenchOptions } from './bench-options.js';
import { writeJson } from './cell-store.js';
import { compareWithRef, refComparisonMarkdown } from './compare-ref.js';
import type { CellResult, TaskSummary, VariantResult } from './run-cell.js';
import { SETTINGS } from './settings.js';

const domain = SETTINGS.find((s) => s.id === 'domain')!;
const task = (auc: number): TaskSummary => ({ auc, logloss: 0.3, gauc: auc, pcoc: 1, ece: 0, weightedDomainAuc: auc, perDomainAuc: Array.from({ length: 8 }, () => auc), positiveRate: 0.1 });
const run = (name: string, auc: number, secondsPerEpoch: number): VariantResult => ({ name, tasks: [task(auc)], secondsPerEpoch, bestEpoch: 1, epochsUsed: 3, params: 1, diagnostics: {} });
/** A whole-cell file as the published table (and earlier commits) cached it: every variant of the setting, no ids. */
const cell = (seed: number, auc: (name: string) => number, seconds: number): CellResult => ({
  setting: 'domain', seed, rows: 30000, tasks: ['click'], domainShares: Array.from({ length: 8 }, () => 0.125), clusterDomainMi: 0.3, clusterDomainNmi: 0.1,
  oracle: [task(0.85)],
  variants: domain.variants.map((v) => run(v.name, auc(v.name), seconds)),
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('compareWithRef', () => {
  it('pairs each model by seed: identical runs give Δ 0, a shifted model its shift, and time ratios per seed', () => {
    dir = mkdtempSync(join(tmpdir(), 'ctr-compare-'));
    const refDir = join(dir, 'ref');
    const headDir = join(dir, 'head');
    const base = [0.70, 0.72, 0.71];
    for (const [i, seed] of [1, 2, 3].entries()) {
      writeJson(join(refDir, `cell-domain-${seed}.json`), cell(seed, () => base[i], 2));
      // This commit: STAR better by 0.01 on every seed and twice as fast; the rest identical.
      writeJson(join(headDir, `cell-domain-${seed}.json`), cell(seed, (name) => base[i] + (name === 'STAR' ? 0.01 : 0), 1));
    }
    // A seed only one commit has is left out of every pair.
    writeJson(join(refDir, 'cell-domain-4.json'), cell(4, () => 0.5, 2));
    const options = parseBenchOptions(['--settings', 'domain', '--seeds', '1-4'], false);
    const c = compareWithRef(refDir, headDir, options);
    expect(c.rows.map((r) => r.model)).toEqual(domain.variants.map((v) => v.name));
    const star = c.rows.find((r) => r.model === 'STAR')!;
    expect(star.seeds).toEqual([1, 2, 3]);
    expect(star.aucDelta.diff.mean).toBeCloseTo(0.01, 12);
    expect(star.maxAbsDelta).toBeCloseTo(0.01, 12);
    expect(star.timeRatio).toBeCloseTo(0.5, 12);
    const sb = c.rows.find((r) => r.model === 'Shared-Bottom')!;
    expect(sb.maxAbsDelta).toBe(0);
    expect(sb.aucDelta.diff.mean).toBe(0);
    expect(c.verdicts.ref).toHaveLength(1);
    expect(c.verdicts.head[0].setting).toBe('domain');
    const md = refComparisonMarkdown(c, 'abc1234');
    expect(md).toContain('| domain | STAR | 3 |');
    expect(md).toContain('AUC abc1234');
  });

  it('compares nothing when the two directories share no seed', () => {
    dir = mkdtempSync(join(tmpdir(), 'ctr-compare-'));
    writeJson(join(dir, 'ref', 'cell-domain-1.json'), cell(1, () => 0.7, 1));
    writeJson(join(dir, 'head', 'cell-domain-2.json'), cell(2, () => 0.7, 1));
    const c = compareWithRef(join(dir, 'ref'), join(dir, 'head'), parseBenchOptions(['--settings', 'domain', '--seeds', '1-2'], false));
    expect(c.rows).toEqual([]);
    expect(c.verdicts.head).toEqual([]);
  });
});
