import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMeanStd } from '../util/stats.js';
import { over, paired, seriesOf, type Paired } from './aggregate.js';
import { selectedVariants, type BenchOptions } from './bench-options.js';
import { loadCells } from './cell-store.js';
import { judge, type Verdict } from './expectations.js';
import type { LatencyRow } from './latency.js';
import type { CellResult } from './run-cell.js';
import { SETTINGS } from './settings.js';
import type { TimingRow } from './timing.js';
import { fixed, markdownTable, signed } from './markdown.js';

/** One model of one setting measured by both commits over the seeds both ran. */
export interface RefComparisonRow {
  setting: string;
  model: string;
  seeds: number[];
  refAuc: number[];
  headAuc: number[];
  /** head − ref test AUC of the main task, paired by seed. */
  aucDelta: Paired;
  /** Largest |head − ref| AUC of any seed (0 when the two commits compute the same model). */
  maxAbsDelta: number;
  /** Mean over seeds of head s/epoch ÷ ref s/epoch (the two cells of a seed ran at the same time). */
  timeRatio: number;
}

export interface RefComparison {
  rows: RefComparisonRow[];
  verdicts: { ref: Verdict[]; head: Verdict[] };
  timing: { domains: number; model: string; refSecondsPerEpoch: number; headSecondsPerEpoch: number }[];
  latency: { model: string; batch: number; refP50Ms: number; headP50Ms: number }[];
}


function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/**
 * Compares the CTR bench cells of two commits run side by side (`npm run bench -- ctr-vs-ref`): per setting and
 * model the paired AUC difference head − ref over the seeds both finished, the time ratio, and each commit's
 * verdicts on the pre-registered expectations computed by the same (head) rules, plus the §3.5 timing and the
 * serving latency when both wrote them. Both directories hold cells in the format `loadCells` reads (the ref's
 * whole-cell files are the format the published table was cached in).
 */
export function compareWithRef(refDir: string, headDir: string, options: BenchOptions): RefComparison {
  const ref = loadCells(refDir, options);
  const head = loadCells(headDir, options);
  const rows: RefComparisonRow[] = [];
  const verdicts: RefComparison['verdicts'] = { ref: [], head: [] };
  for (const setting of SETTINGS.filter((s) => options.settings.includes(s.id))) {
    const seeds = options.seeds.filter((s) => ref.has(`${setting.id}-${s}`) && head.has(`${setting.id}-${s}`));
    if (seeds.length === 0) continue;
    const cellsOf = (m: Map<string, CellResult>) => seeds.map((s) => m.get(`${setting.id}-${s}`)!);
    const names = selectedVariants(setting, options).map((v) => v.name);
    const refSeries = seriesOf(cellsOf(ref), names).variants;
    const headSeries = seriesOf(cellsOf(head), names).variants;
    const numDomains = cellsOf(head)[0].oracle[0].perDomainAuc.length;
    verdicts.ref.push(judge(setting, refSeries, numDomains));
    verdicts.head.push(judge(setting, headSeries, numDomains));
    for (let i = 0; i < names.length; i++) {
      const refAuc = refSeries[i].auc.map((a) => a[0]);
      const headAuc = headSeries[i].auc.map((a) => a[0]);
      const both = seeds.map((_, k) => k).filter((k) => Number.isFinite(refAuc[k]) && Number.isFinite(headAuc[k]));
      if (both.length === 0) continue;
      const pick = (a: number[]) => both.map((k) => a[k]);
      rows.push({
        setting: setting.id,
        model: names[i],
        seeds: pick(seeds),
        refAuc: pick(refAuc),
        headAuc: pick(headAuc),
        aucDelta: paired(pick(headAuc), pick(refAuc)),
        maxAbsDelta: Math.max(...both.map((k) => Math.abs(headAuc[k] - refAuc[k]))),
        timeRatio: over(both.map((k) => headSeries[i].secondsPerEpoch[k] / refSeries[i].secondsPerEpoch[k])).mean,
      });
    }
  }
  const refTiming = readJson<{ rows: TimingRow[] }>(join(refDir, 'timing.json'))?.rows ?? [];
  const headTiming = readJson<{ rows: TimingRow[] }>(join(headDir, 'timing.json'))?.rows ?? [];
  const timing = headTiming.flatMap((h) => {
    const r = refTiming.find((x) => x.domains === h.domains && x.model === h.model);
    return r ? [{ domains: h.domains, model: h.model, refSecondsPerEpoch: r.secondsPerEpoch, headSecondsPerEpoch: h.secondsPerEpoch }] : [];
  });
  const refLatency = readJson<{ rows: LatencyRow[] }>(join(refDir, 'latency.json'))?.rows ?? [];
  const headLatency = readJson<{ rows: LatencyRow[] }>(join(headDir, 'latency.json'))?.rows ?? [];
  const latency = headLatency.flatMap((h) => {
    const r = refLatency.find((x) => x.model === h.model && x.batch === h.batch);
    return r ? [{ model: h.model, batch: h.batch, refP50Ms: r.p50Ms, headP50Ms: h.p50Ms }] : [];
  });
  return { rows, verdicts, timing, latency };
}

/** The Markdown of a comparison: the paired AUC table, both commits' verdicts side by side, timing and latency. */
export function refComparisonMarkdown(c: RefComparison, refName: string): string {
  const md: string[] = [];
  md.push(
    `Each (setting, seed) cell ran twice at the same time, once on ${refName} and once on this commit, in separate processes on the wasm backend (native GEMM off for both): same generator seed, split, initialisation seed and training protocol. Δ = this commit − ${refName}, paired by seed, with its 95 % t-interval; max |Δ| is the largest difference of any seed (0 would mean the same arithmetic). Time ratio = this commit's s/epoch ÷ ${refName}'s, mean over seeds.`,
  );
  md.push(
    `\n${markdownTable(
      c.rows.map((r) => ({
        setting: r.setting,
        model: r.model,
        n: r.seeds.length,
        [`AUC ${refName}`]: formatMeanStd(over(r.refAuc)),
        'AUC this commit': formatMeanStd(over(r.headAuc)),
        'Δ [95 % CI]': `${signed(r.aucDelta.diff.mean)} [${signed(r.aucDelta.low)}, ${signed(r.aucDelta.high)}]${r.aucDelta.significant ? ' *' : ''}`,
        'max |Δ|': fixed(r.maxAbsDelta),
        'time ratio': fixed(r.timeRatio, 2),
      })),
    )}`,
  );
  md.push(`\nPre-registered expectations (ctr.md §4.2), judged by the same rules on each commit's cells:\n`);
  md.push(
    markdownTable(
      c.verdicts.head.map((h, i) => {
        const r = c.verdicts.ref[i];
        const count = (v: Verdict) => `${v.checks.filter((x) => x.held === true).length}/${v.checks.filter((x) => x.held !== null).length}`;
        return { setting: h.setting, [`held (${refName})`]: `${r.held} (${count(r)})`, 'held (this commit)': `${h.held} (${count(h)})` };
      }),
    ),
  );
  if (c.timing.length) {
    md.push(`\nTraining time (ctr.md §3.5), one epoch, both commits measured at the same time:\n`);
    md.push(markdownTable(c.timing.map((t) => ({ D: t.domains, model: t.model, [`s/epoch ${refName}`]: fixed(t.refSecondsPerEpoch, 2), 's/epoch this commit': fixed(t.headSecondsPerEpoch, 2), ratio: fixed(t.headSecondsPerEpoch / t.refSecondsPerEpoch, 2) }))));
  }
  if (c.latency.length) {
    md.push(`\nServing latency (in-process predict path), p50, both commits measured at the same time:\n`);
    md.push(markdownTable(c.latency.map((l) => ({ model: l.model, batch: l.batch, [`p50 ms ${refName}`]: fixed(l.refP50Ms, 2), 'p50 ms this commit': fixed(l.headP50Ms, 2), ratio: fixed(l.headP50Ms / l.refP50Ms, 2) }))));
  }
  return md.join('\n');
}
