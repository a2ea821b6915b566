import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cellTag, selectedVariants, type BenchOptions } from './bench-options.js';
import type { CellResult } from './run-cell.js';
import { SETTINGS, type Setting } from './settings.js';

/**
 * Cell cache of the CTR benchmark. One directory per cell tag (rows, epochs, generator seeds and knobs):
 * `ctr-cells/` holds the published defaults (whole-cell files `cell-<setting>-<seed>.json` from before
 * per-variant caching, and per-variant files), other tags `ctr-cells-<tag>/`. Per-variant files
 * `cell-<setting>-<seed>--<variant>.json` let `--models` add models to cached seeds.
 */
export function cellsDir(resultsDir: string, options: BenchOptions): string {
  const tag = cellTag(options);
  return join(resultsDir, `${options.quick ? 'ctr-quick-cells' : 'ctr-cells'}${tag ? `-${tag}` : ''}`);
}

export const variantCellFile = (dir: string, setting: string, seed: number, variant: string) => join(dir, `cell-${setting}-${seed}--${variant}.json`);

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
  renameSync(tmp, path);
}

/** Every cached cell of `dir` for the options' row count, merged per (setting, seed), variant ids filled in. */
export function loadCells(dir: string, options: BenchOptions): Map<string, CellResult> {
  const merged = new Map<string, CellResult>();
  if (!existsSync(dir)) return merged;
  for (const name of readdirSync(dir).filter((n) => /^cell-.*\.json$/.test(n)).sort()) {
    const cell = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CellResult;
    const setting = SETTINGS.find((s) => s.id === cell.setting);
    if (!setting || cell.rows !== Math.round(options.rows * (setting.rowsFactor ?? 1))) continue;
    for (const v of cell.variants) v.id ??= setting.variants.find((x) => x.name === v.name)?.id;
    const key = `${cell.setting}-${cell.seed}`;
    const have = merged.get(key);
    if (!have) merged.set(key, { ...cell, variants: [...cell.variants] });
    else for (const v of cell.variants) if (!have.variants.some((x) => x.id === v.id)) have.variants.push(v);
  }
  return merged;
}

/** A (setting, seed) with the selected variants it still lacks. */
export interface CellJob {
  setting: Setting['id'];
  seed: number;
  variants: string[];
}

export function pendingJobs(dir: string, options: BenchOptions): CellJob[] {
  const cells = loadCells(dir, options);
  const jobs: CellJob[] = [];
  // Seed-major order: a run cut short leaves every setting with the same seeds (paired tables stay usable).
  for (const seed of options.seeds) {
    for (const setting of SETTINGS.filter((s) => options.settings.includes(s.id))) {
      const have = cells.get(`${setting.id}-${seed}`)?.variants ?? [];
      const missing = selectedVariants(setting, options).filter((v) => !have.some((x) => x.id === v.id)).map((v) => v.id);
      if (missing.length) jobs.push({ setting: setting.id, seed, variants: missing });
    }
  }
  return jobs;
}
