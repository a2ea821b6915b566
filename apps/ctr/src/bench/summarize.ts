import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gapClosed } from '../eval/evaluate.js';
import { formatMeanStd } from '../util/stats.js';
import { over, paired, seriesOf, type Paired } from './aggregate.js';
import { describeOptions, selectedVariants, type BenchOptions } from './bench-options.js';
import { cellsDir, loadCells } from './cell-store.js';
import type { CellResult } from './run-cell.js';
import { judge, type Verdict } from './expectations.js';
import { benchSizes, SETTINGS } from './settings.js';
import type { LatencyRow } from './latency.js';
import type { TimingRow } from './timing.js';
import { fixed, markdownTable, signed } from './markdown.js';


const ci = (p: Paired, d = 4) => `${signed(p.diff.mean, d)} [${signed(p.low, d)}, ${signed(p.high, d)}]`;

/** Reads every cached cell of `dir` (and its timing/latency files) and builds the suite's results and Markdown. */
export function summarizeBench(dir: string, options: BenchOptions): { results: unknown; markdown: string } {
  const sizes = benchSizes(options.quick);
  const cells = [...loadCells(dir, options).values()];
  const md: string[] = [];
  const verdicts: Verdict[] = [];
  const settingsOut: unknown[] = [];
  const ratios: Record<string, string | number>[] = [];
  const memory: Record<string, string | number>[] = [];
  md.push(`Synthetic multi-domain generator (ctr.md §4.2): ${describeOptions(options)}. Rows per dataset as listed (the 4-task setting ⅔ of them), 70/10/20 split in stream order, feature processor fitted on train only; rows are generated and encoded in chunks (memory flat in the row count). 8 domains with Zipf(1) traffic and 4 latent clusters unless the knobs say otherwise. Each seed = new dataset + new initialisation; every model of a seed sees the identical split. Training: Adam ${sizes.train.learningRate} (dense) + row-sparse Adam ${sizes.train.embeddingLearningRate} (embeddings, dim 8), batch ${sizes.train.batchSize}, ≤ ${options.epochsMax} epochs with early stopping on validation logloss (patience ${options.patience}; the best epoch's weights are restored); hyper-parameters fixed before the runs, none chosen on test. Figures are mean ± std over seeds; Δ are paired differences on the same seeds with their 95 % t-interval. Backend wasm, machine shared with other engineers (timings noisy; compare ratios within one cell).`);
  for (const setting of SETTINGS.filter((s) => options.settings.includes(s.id))) {
    const wanted = selectedVariants(setting, options);
    const all = cells.filter((c) => c.setting === setting.id && options.seeds.includes(c.seed)).sort((a, b) => a.seed - b.seed);
    // Variants present in at least one seed; each paired comparison uses the seeds both of its models have.
    const present = wanted.filter((v) => all.some((c) => c.variants.some((x) => x.id === v.id)));
    const sc = all.filter((c) => present.some((v) => c.variants.some((x) => x.id === v.id)));
    if (sc.length === 0 || present.length === 0) {
      md.push(`\n### ${setting.title}\n\n_not run_`);
      continue;
    }
    const missing = wanted.filter((v) => !present.includes(v)).map((v) => v.name);
    const { variants, oracleAuc, oraclePerDomain } = seriesOf(sc, present.map((v) => v.name));
    const base = variants[0];
    const numDomains = sc[0].oracle[0].perDomainAuc.length;
    const tail = Array.from({ length: numDomains - Math.floor(numDomains / 2) }, (_, i) => i + Math.floor(numDomains / 2));
    const tailAuc = (m: number[][]) => m.map((row) => tail.reduce((a, d) => a + row[d], 0) / tail.length);
    const oracle = over(oracleAuc.map((a) => a[0]));
    const rows = variants.map((v) => {
      const auc = over(v.auc.map((a) => a[0]));
      const d = paired(v.auc.map((a) => a[0]), base.auc.map((a) => a[0]));
      const closed = over(v.auc.map((a, i) => gapClosed(a[0], base.auc[i][0], oracleAuc[i][0])));
      return {
        model: v.name,
        AUC: formatMeanStd(auc),
        [`Δ vs ${base.name} [95 % CI]`]: v === base ? '—' : `${ci(d)}${d.significant ? ' *' : ''}`,
        'gap to oracle': fixed(oracle.mean - auc.mean),
        'gap closed': v === base ? '0' : fixed(closed.mean, 2),
        'tail-domain AUC': fixed(over(tailAuc(v.perDomainAuc)).mean),
        logloss: formatMeanStd(over(v.logloss.map((l) => l[0]))),
        GAUC: fixed(over(v.gauc).mean),
        ECE: fixed(over(v.ece).mean),
        PCOC: fixed(over(v.pcoc).mean, 3),
        'epochs (best)': `${fixed(over(v.epochsUsed).mean, 1)} (${fixed(over(v.bestEpoch.map((e) => e + 1)).mean, 1)})`,
        // Runs whose best epoch was the last one allowed: early stopping never fired, they may be under-trained.
        'best = cap': `${v.bestEpoch.filter((e) => e === options.epochsMax - 1).length}/${v.bestEpoch.filter((e) => Number.isFinite(e)).length}`,
        's/epoch': fixed(over(v.secondsPerEpoch).mean, 2),
      };
    });
    rows.push({ model: 'oracle (true p)', AUC: formatMeanStd(oracle), [`Δ vs ${base.name} [95 % CI]`]: '', 'gap to oracle': '0', 'gap closed': '1', 'tail-domain AUC': fixed(over(tailAuc(oraclePerDomain)).mean), logloss: '', GAUC: '', ECE: '', PCOC: '', 'epochs (best)': '', 'best = cap': '', 's/epoch': '' });
    const partial = variants.filter((v) => v.auc.some((a) => !Number.isFinite(a[0]))).map((v) => `${v.name} (n = ${v.auc.filter((a) => Number.isFinite(a[0])).length})`);
    const verdict = judge(setting, variants, numDomains);
    verdicts.push(verdict);
    md.push(`\n### ${setting.title}\n\nExpected: ${setting.expectation}. ${sc[0].rows.toLocaleString('en')} rows; seeds: ${sc.map((c) => c.seed).join(', ')}; I(z; d) of the data ${fixed(over(sc.map((c) => c.clusterDomainMi)).mean, 3)} nats.${missing.length ? ` Not run: ${missing.join(', ')}.` : ''}${partial.length ? ` Models without every seed (n = seeds they ran; Δ over the seeds both models have): ${partial.join(', ')}.` : ''} \`*\` = paired difference significant at 95 % (t-test over seeds).\n\n${markdownTable(rows)}`);
    // Per-domain AUC of the tail half, with the paired gain over the first model of each tail domain.
    const domainRows = variants.map((v) => ({
      model: v.name,
      ...Object.fromEntries(tail.map((d) => [`d${d} (${fixed(over(sc.map((c) => c.domainShares[d] * 100)).mean, 1)} %)`, v === base ? fixed(over(v.perDomainAuc.map((r) => r[d])).mean) : `${fixed(over(v.perDomainAuc.map((r) => r[d])).mean)} (${signed(paired(v.perDomainAuc.map((r) => r[d]), base.perDomainAuc.map((r) => r[d])).diff.mean)})`])),
      [`tail mean Δ vs ${base.name} [95 % CI]`]: v === base ? '—' : ci(paired(tailAuc(v.perDomainAuc), tailAuc(base.perDomainAuc))),
    }));
    domainRows.push({ model: 'oracle (true p)', ...Object.fromEntries(tail.map((d) => [`d${d} (${fixed(over(sc.map((c) => c.domainShares[d] * 100)).mean, 1)} %)`, fixed(over(oraclePerDomain.map((r) => r[d])).mean)])), [`tail mean Δ vs ${base.name} [95 % CI]`]: '' });
    md.push(`\nTail domains (the smaller half by traffic; share of rows in brackets): test AUC per domain, mean over seeds (paired Δ vs ${base.name}):\n\n${markdownTable(domainRows)}`);
    if (setting.id === 'sparse-tasks') {
      const taskRows = variants.map((v) => ({ model: v.name, ...Object.fromEntries(sc[0].tasks.map((t, k) => [`${t} AUC (rate ${fixed(over(sc.map((c) => c.oracle[k].positiveRate)).mean, 3)})`, formatMeanStd(over(v.auc.map((a) => a[k])))])), 'expert zero rate': fixed(over(v.zeroRate).mean, 3), 'max gate weight': fixed(over(v.maxGateWeight).mean, 3) }));
      md.push(`\nPer task:\n\n${markdownTable(taskRows)}`);
    }
    md.push(`\n${verdict.checks.map((c) => `- ${c.held === null ? '⏸' : c.held ? '✅' : '❌'} ${c.claim} — ${c.evidence}`).join('\n')}`);
    // AdaptDHM / STAR training time, paired within each cell (same process, same data, run back to back).
    const adapt = variants.find((v) => v.name.startsWith('AdaptDHM (K=4)'));
    const star = variants.find((v) => v.name === 'STAR');
    if (adapt && star) {
      const perEpoch = adapt.secondsPerEpoch.map((s, i) => s / star.secondsPerEpoch[i]);
      const total = adapt.secondsPerEpoch.map((s, i) => (s * adapt.epochsUsed[i]) / (star.secondsPerEpoch[i] * star.epochsUsed[i]));
      ratios.push({ setting: setting.title, rows: sc[0].rows, seeds: perEpoch.filter((r) => Number.isFinite(r)).length, 'AdaptDHM s/epoch': fixed(over(adapt.secondsPerEpoch).mean, 1), 'STAR s/epoch': fixed(over(star.secondsPerEpoch).mean, 1), 'AdaptDHM / STAR per epoch': formatMeanStd(over(perEpoch), 2), 'AdaptDHM / STAR to early stop': formatMeanStd(over(total), 2) });
    }
    memory.push({ setting: setting.title, rows: sc[0].rows, 'data prep s': fixed(over(sc.map((c) => c.dataSeconds ?? Number.NaN)).mean, 1), 'RSS after data MiB': fixed(over(sc.map((c) => c.rssAfterDataMb ?? Number.NaN)).mean, 0), 'peak RSS MiB': fixed(over(sc.map((c) => c.peakRssMb ?? Number.NaN)).mean, 0) });
    settingsOut.push({ setting: setting.id, rows: sc[0].rows, seeds: sc.map((c) => c.seed), variants, oracleAuc, verdict });
  }
  const effectRows = verdicts.flatMap((v) => v.checks.map((c) => ({
    setting: v.setting,
    check: c.claim,
    held: c.held === null ? 'not run' : c.held ? 'held' : 'not held',
    'effect (a − b)': c.effect ? `${c.effect.a} − ${c.effect.b} (${c.effect.metric})` : '—',
    'mean [95 % CI]': c.effect ? ci(c.effect) : '—',
    t: c.effect && Number.isFinite(c.effect.t) ? c.effect.t.toFixed(2) : '—',
    n: c.effect?.n ?? '—',
  })));
  md.splice(1, 0, `\n### Pre-registered expectations (ctr.md §4.2)\n\n${markdownTable(verdicts.map((v) => ({ setting: SETTINGS.find((s) => s.id === v.setting)!.title, expected: v.expected, held: v.held === 'held' ? 'yes' : v.held === 'partly' ? 'partly' : v.held === 'not run' ? 'not run' : 'no', 'sub-checks held': `${v.checks.filter((c) => c.held).length}/${v.checks.filter((c) => c.held !== null).length}${v.checks.some((c) => c.held === null) ? ` (+${v.checks.filter((c) => c.held === null).length} not run)` : ''}` })))}\n\nEvery sub-check with the paired per-seed effect it was decided on (a "> b" claim holds when the mean difference is positive and its 95 % t-interval excludes 0; the null setting lists its largest win):\n\n${markdownTable(effectRows)}`);
  const sweep = sizeSweep(dir, options);
  if (sweep.length) md.push(`\n### Size sweep\n\nThe same settings, models and training protocol at every row count cached for these options (each row count its own datasets; the 30,000-row cells are the published table's). Columns are variant ids (mmoe = domain gates in the domain setting, input gates in the cluster setting); shared-bottom shows its AUC, the others Δ = paired AUC difference vs Shared-Bottom over the seeds that have both, 95 % t-interval.\n\n${markdownTable(sweep)}`);
  if (ratios.length) md.push(`\n### AdaptDHM / STAR training time at this size\n\nRatios per seed within one cell (same process and data, models run back to back), mean ± std over seeds; "to early stop" multiplies by the epochs each model trained. AdaptDHM's claim (ctr.md §1.5): > 50 % less training time than other multi-domain models, i.e. a ratio < 0.5.\n\n${markdownTable(ratios)}`);
  if (memory.some((m) => m['peak RSS MiB'] !== 'n/a')) md.push(`\n### Data path memory\n\nProcess RSS of a cell after generating + encoding its splits and at its peak (after training), mean over seeds.\n\n${markdownTable(memory)}`);
  const timingPath = join(dir, 'timing.json');
  const timing = existsSync(timingPath) ? (JSON.parse(readFileSync(timingPath, 'utf8')) as { rows: TimingRow[] }).rows : [];
  if (timing.length) {
    const ratio = (d: number, a: string, b: string) => {
      const x = timing.find((r) => r.domains === d && r.model === a);
      const y = timing.find((r) => r.domains === d && r.model === b);
      return x && y ? x.secondsPerEpoch / y.secondsPerEpoch : Number.NaN;
    };
    md.push(`\n### Training time (ctr.md §3.5)\n\nOne epoch, median of interleaved repeats, same data, embedding dim 8, hidden [64, 32], batch ${sizes.train.batchSize}. AdaptDHM's claim: > 50 % less training time than other multi-domain models.\n\n${markdownTable(timing.map((r) => ({ D: r.domains, model: r.model, 's/epoch': fixed(r.secondsPerEpoch, 2), 'samples/s': Math.round(r.samplesPerSecond), 'dense params': r.params })))}\n\n${[8, 32].map((d) => `- D = ${d}: AdaptDHM sparse / STAR = ${fixed(ratio(d, 'AdaptDHM K=4 sparse', 'STAR'), 2)}, / per-domain towers = ${fixed(ratio(d, 'AdaptDHM K=4 sparse', 'Per-domain towers'), 2)}, sparse / dense-masked = ${fixed(ratio(d, 'AdaptDHM K=4 sparse', 'AdaptDHM K=4 dense-masked'), 2)}`).join('\n')}`);
  }
  const latencyPath = join(dir, 'latency.json');
  const latency = existsSync(latencyPath) ? (JSON.parse(readFileSync(latencyPath, 'utf8')) as { rows: LatencyRow[] }).rows : [];
  if (latency.length) {
    md.push(`\n### Serving latency\n\nIn-process predict path: strict feature transform of raw rows + forward + read-back, after warm-up.\n\n${markdownTable(latency.map((r) => ({ model: r.model, batch: r.batch, 'p50 ms': fixed(r.p50Ms, 2), 'p99 ms': fixed(r.p99Ms, 2), iterations: r.iterations })))}`);
  }
  return { results: { options, sizes, verdicts, settings: settingsOut, ratios, memory, timing, latency }, markdown: md.join('\n') };
}

/** Row counts the sweep looks for beside the run's own (each has its own cell directory). */
const SWEEP_ROWS = [8000, 30000, 100000, 300000, 1000000];

/** Per setting and row count: each selected model's AUC and paired Δ vs Shared-Bottom, from every cached size. */
function sizeSweep(dir: string, options: BenchOptions): Record<string, string | number>[] {
  const out: Record<string, string | number>[] = [];
  const sizes = [...new Set([...SWEEP_ROWS, options.rows])].sort((a, b) => a - b);
  const found = sizes.map((rows) => ({ rows, cells: [...loadCells(cellsDir(dirname(dir), { ...options, rows }), { ...options, rows }).values()] })).filter((x) => x.cells.length);
  if (found.length < 2) return out;
  const ids = [...new Set(SETTINGS.filter((s) => options.settings.includes(s.id)).flatMap((s) => selectedVariants(s, options).map((v) => v.id)))];
  for (const setting of SETTINGS.filter((s) => options.settings.includes(s.id))) {
    for (const { cells } of found) {
      const sc = cells.filter((c) => c.setting === setting.id && options.seeds.includes(c.seed)).sort((a, b) => a.seed - b.seed);
      const sb = selectedVariants(setting, options).find((v) => v.id === 'shared-bottom');
      if (!sb || sc.length === 0) continue;
      // Columns are variant ids (one per model family), so settings whose variants differ in detail share a table.
      const row: Record<string, string | number> = { setting: setting.id, rows: sc[0].rows, ...Object.fromEntries(ids.map((id) => [id, '—'])) };
      for (const v of selectedVariants(setting, options)) {
        const both = sc.filter((c) => c.variants.some((x) => x.id === v.id) && c.variants.some((x) => x.id === sb.id));
        const auc = (c: CellResult, id: string) => c.variants.find((x) => x.id === id)!.tasks[0].auc;
        if (both.length === 0) continue;
        if (v === sb) row[v.id] = `${fixed(over(both.map((c) => auc(c, sb.id))).mean)} (n = ${both.length})`;
        else row[v.id] = ci(paired(both.map((c) => auc(c, v.id)), both.map((c) => auc(c, sb.id))));
      }
      out.push(row);
    }
  }
  return out;
}
