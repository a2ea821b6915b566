import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gapClosed } from '../eval/evaluate.js';
import { formatMeanStd } from '../util/stats.js';
import { over, paired, seriesOf } from './aggregate.js';
import { judge, type Verdict } from './expectations.js';
import type { CellResult } from './run-cell.js';
import { benchSizes, SETTINGS } from './settings.js';
import type { LatencyRow } from './latency.js';
import type { TimingRow } from './timing.js';

function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '_no rows_';
  const keys = Object.keys(rows[0]);
  return [`| ${keys.join(' | ')} |`, `| ${keys.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${keys.map((k) => String(r[k])).join(' | ')} |`)].join('\n');
}

const f = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** Reads every cell file and the timing/latency files of `dir` and builds the suite's results and Markdown. */
export function summarizeBench(dir: string, quick: boolean): { results: unknown; markdown: string } {
  const sizes = benchSizes(quick);
  const cells: CellResult[] = existsSync(dir)
    ? readdirSync(dir).filter((n) => /^cell-.*\.json$/.test(n)).map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as CellResult).filter((c) => c.rows === Math.round(sizes.rows * (SETTINGS.find((s) => s.id === c.setting)?.rowsFactor ?? 1)))
    : [];
  const md: string[] = [];
  const verdicts: Verdict[] = [];
  const settingsOut: unknown[] = [];
  md.push(`Synthetic multi-domain generator (ctr.md §4.2): ${sizes.rows} rows per dataset (the 4-task setting ${Math.round(sizes.rows * 2 / 3)}) (70/10/20 split in stream order, feature processor fitted on train only), 8 domains with Zipf(1) traffic, 4 latent clusters, ${sizes.seeds} seeds (each seed = new dataset + new initialisation; every model of a seed sees the identical split). Training: Adam ${sizes.train.learningRate} (dense) + row-sparse Adam ${sizes.train.embeddingLearningRate} (embeddings, dim 8), batch ${sizes.train.batchSize}, ≤ ${sizes.train.epochs} epochs with early stopping on validation logloss (patience ${sizes.train.patience}); hyper-parameters fixed before the runs, none chosen on test. Figures are mean ± std over seeds; Δ are paired differences on the same seeds. Backend wasm, machine shared with other engineers (timings noisy; compare ratios within one table).`);
  for (const setting of SETTINGS) {
    const sc = cells.filter((c) => c.setting === setting.id).sort((a, b) => a.seed - b.seed);
    if (sc.length === 0) {
      md.push(`\n### ${setting.title}\n\n_not run_`);
      continue;
    }
    const { variants, oracleAuc, oraclePerDomain } = seriesOf(sc);
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
        [`Δ vs ${base.name}`]: v === base ? '—' : `${d.diff.mean >= 0 ? '+' : ''}${f(d.diff.mean)} ± ${f(d.diff.std)}${d.significant ? ' *' : ''}`,
        'gap to oracle': f(oracle.mean - auc.mean),
        'gap closed': v === base ? '0' : f(closed.mean, 2),
        'tail-domain AUC': f(over(tailAuc(v.perDomainAuc)).mean),
        logloss: formatMeanStd(over(v.logloss.map((l) => l[0]))),
        GAUC: f(over(v.gauc).mean),
        ECE: f(over(v.ece).mean),
        PCOC: f(over(v.pcoc).mean, 3),
        's/epoch': f(over(v.secondsPerEpoch).mean, 2),
      };
    });
    rows.push({ model: 'oracle (true p)', AUC: formatMeanStd(oracle), [`Δ vs ${base.name}`]: '', 'gap to oracle': '0', 'gap closed': '1', 'tail-domain AUC': f(over(tailAuc(oraclePerDomain)).mean), logloss: '', GAUC: '', ECE: '', PCOC: '', 's/epoch': '' });
    const verdict = judge(setting, variants, numDomains);
    verdicts.push(verdict);
    md.push(`\n### ${setting.title}\n\nExpected: ${setting.expectation}. Seeds: ${sc.map((c) => c.seed).join(', ')}; I(z; d) of the data ${f(over(sc.map((c) => c.clusterDomainMi)).mean, 3)} nats. \`*\` = paired difference significant at 95 % (t-test over seeds).\n\n${table(rows)}`);
    if (setting.id === 'sparse-tasks') {
      const taskRows = variants.map((v) => ({ model: v.name, ...Object.fromEntries(sc[0].tasks.map((t, k) => [`${t} AUC (rate ${f(over(sc.map((c) => c.oracle[k].positiveRate)).mean, 3)})`, formatMeanStd(over(v.auc.map((a) => a[k])))])), 'expert zero rate': f(over(v.zeroRate).mean, 3), 'max gate weight': f(over(v.maxGateWeight).mean, 3) }));
      md.push(`\nPer task:\n\n${table(taskRows)}`);
    }
    md.push(`\n${verdict.checks.map((c) => `- ${c.held ? '✅' : '❌'} ${c.claim} — ${c.evidence}`).join('\n')}`);
    settingsOut.push({ setting: setting.id, seeds: sc.map((c) => c.seed), variants, oracleAuc, verdict });
  }
  md.splice(1, 0, `\n### Pre-registered expectations (ctr.md §4.2)\n\n${table(verdicts.map((v) => ({ setting: SETTINGS.find((s) => s.id === v.setting)!.title, expected: v.expected, held: v.held === 'held' ? 'yes' : v.held === 'partly' ? 'partly' : 'no', 'sub-checks held': `${v.checks.filter((c) => c.held).length}/${v.checks.length}` })))}`);
  const timingPath = join(dir, 'timing.json');
  const timing = existsSync(timingPath) ? (JSON.parse(readFileSync(timingPath, 'utf8')) as { rows: TimingRow[] }).rows : [];
  if (timing.length) {
    const ratio = (d: number, a: string, b: string) => {
      const x = timing.find((r) => r.domains === d && r.model === a);
      const y = timing.find((r) => r.domains === d && r.model === b);
      return x && y ? x.secondsPerEpoch / y.secondsPerEpoch : Number.NaN;
    };
    md.push(`\n### Training time (ctr.md §3.5)\n\nOne epoch, median of interleaved repeats, same data, embedding dim 8, hidden [64, 32], batch ${sizes.train.batchSize}. AdaptDHM's claim: > 50 % less training time than other multi-domain models.\n\n${table(timing.map((r) => ({ D: r.domains, model: r.model, 's/epoch': f(r.secondsPerEpoch, 2), 'samples/s': Math.round(r.samplesPerSecond), 'dense params': r.params })))}\n\n${[8, 32].map((d) => `- D = ${d}: AdaptDHM sparse / STAR = ${f(ratio(d, 'AdaptDHM K=4 sparse', 'STAR'), 2)}, / per-domain towers = ${f(ratio(d, 'AdaptDHM K=4 sparse', 'Per-domain towers'), 2)}, sparse / dense-masked = ${f(ratio(d, 'AdaptDHM K=4 sparse', 'AdaptDHM K=4 dense-masked'), 2)}`).join('\n')}`);
  }
  const latencyPath = join(dir, 'latency.json');
  const latency = existsSync(latencyPath) ? (JSON.parse(readFileSync(latencyPath, 'utf8')) as { rows: LatencyRow[] }).rows : [];
  if (latency.length) {
    md.push(`\n### Serving latency\n\nIn-process predict path: strict feature transform of raw rows + forward + read-back, after warm-up.\n\n${table(latency.map((r) => ({ model: r.model, batch: r.batch, 'p50 ms': f(r.p50Ms, 2), 'p99 ms': f(r.p99Ms, 2), iterations: r.iterations })))}`);
  }
  return { results: { sizes, verdicts, settings: settingsOut, timing, latency }, markdown: md.join('\n') };
}
