import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchOptions } from './bench-options.js';
import { cellsDir, loadCells, pendingJobs, variantCellFile, writeJson } from './cell-store.js';
import type { CellResult, VariantResult } from './run-cell.js';

const dir = mkdtempSync(join(tmpdir(), 'ctr-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const task = { auc: 0.7, logloss: 0.3, gauc: 0.7, pcoc: 1, ece: 0, weightedDomainAuc: 0.7, perDomainAuc: [0.7], positiveRate: 0.1 };
const variant = (name: string, id?: string): VariantResult => ({ ...(id ? { id } : {}), name, tasks: [task], secondsPerEpoch: 1, bestEpoch: 0, params: 1, diagnostics: {} });
const cell = (seed: number, variants: VariantResult[], rows = 30000): CellResult => ({ setting: 'domain', seed, rows, tasks: ['click'], domainShares: [1], clusterDomainMi: 0, clusterDomainNmi: 0, oracle: [task], variants });

describe('CTR cell cache', () => {
  it('keeps the published cells where they were and gives other sizes their own directory', () => {
    expect(cellsDir('/r', parseBenchOptions([], false))).toBe('/r/ctr-cells');
    expect(cellsDir('/r', parseBenchOptions(['--rows', '300000', '--settings', 'domain', '--models', 'star'], false))).toBe('/r/ctr-cells-rows300000');
    expect(cellsDir('/r', parseBenchOptions(['--quick'], true))).toBe('/r/ctr-quick-cells');
  });

  it('merges whole-cell files (no variant ids) with per-variant files and lists what is missing, seed-major', () => {
    const options = parseBenchOptions(['--settings', 'domain,cluster', '--seeds', '2', '--models', 'shared-bottom,star'], false);
    writeJson(join(dir, 'cell-domain-1.json'), cell(1, [variant('Shared-Bottom'), variant('Per-domain towers')]));
    writeJson(variantCellFile(dir, 'domain', 1, 'star'), cell(1, [variant('STAR', 'star')]));
    writeJson(variantCellFile(dir, 'domain', 2, 'star'), cell(2, [variant('STAR', 'star')], 300000)); // other size: ignored
    const merged = loadCells(dir, options).get('domain-1')!;
    expect(merged.variants.map((v) => v.id).sort()).toEqual(['per-domain', 'shared-bottom', 'star']);
    expect(pendingJobs(dir, options)).toEqual([
      { setting: 'cluster', seed: 1, variants: ['shared-bottom', 'star'] },
      { setting: 'domain', seed: 2, variants: ['shared-bottom', 'star'] },
      { setting: 'cluster', seed: 2, variants: ['shared-bottom', 'star'] },
    ]);
  });
});
