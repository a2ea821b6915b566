// `npm run bench -- anomaly [--quick] [--seeds 1,2,3] [--methods mil,gsmoe] [--epochs 15]`
// GS-MoE vs MIL / UR-DMU-style / multi-head baselines and the TGS / expert ablations on the synthetic §4
// snippet-feature task (reference vision.md §3, §4, §6): snippet AUC, AP (trapezoid and step-wise), AUC on
// anomalous videos, per-class AUC, mean ± std over seeds at the validation-selected epoch (and the final
// epoch), training time per epoch, and streaming throughput / latency. The cells run in a child process
// (apps/anomaly/src/bench/bench-main.ts) and are cached in bench/results/anomaly-cells/.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { markdownTable, repoRoot, type BenchSuite } from '../report.js';

const MAIN = join(repoRoot, 'apps', 'anomaly', 'src', 'bench', 'bench-main.ts');
const CELLS = join(repoRoot, 'bench', 'results', 'anomaly-cells');
const ALL_METHODS = ['mil', 'urdmu', 'multihead', 'gsmoe', 'gsmoe-no-tgs', 'gsmoe-no-experts'];

interface Metrics {
  auc: number;
  apTrapezoid: number;
  apStep: number;
  aucAnomalous: number;
  perClassAuc: Record<string, number>;
  expertAccuracy: number | null;
}
interface Cell {
  method: string;
  seed: number;
  parameters: number;
  bestEpoch: number;
  test: Metrics;
  testFinal: Metrics;
  secondsPerEpoch: number;
}
interface Output {
  backend: string;
  epochs: number;
  seeds: number[];
  methods: string[];
  classes: string[];
  cells: Cell[];
  throughput: { cameras: number; batchedSnippetsPerSecond: number; singleLatencyMsMean: number; singleLatencyMsP95: number };
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
};
const pm = (xs: number[], digits = 3) => {
  const s = stats(xs);
  return `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
};

function runMain(args: string[], log: (m: string) => void): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', MAIN, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => log(d.toString().trimEnd()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Output) : reject(new Error(`bench-main exited ${code}`))));
  });
}

const suite: BenchSuite = async ({ args, quick, log }) => {
  const seeds = arg(args, 'seeds') ?? (quick ? '1' : '1,2,3');
  const methods = arg(args, 'methods') ?? ALL_METHODS.join(',');
  const epochs = arg(args, 'epochs') ?? (quick ? '4' : '15');
  const out = await runMain([CELLS, seeds, methods, epochs], log);
  const classes = out.classes.slice(1);
  const byMethod = (m: string) => out.cells.filter((c) => c.method === m);
  const rows = out.methods.map((m) => {
    const cs = byMethod(m);
    const row: Record<string, string | number> = {
      method: m,
      params: cs[0]?.parameters ?? 0,
      AUC: pm(cs.map((c) => c.test.auc)),
      'AP (trapezoid)': pm(cs.map((c) => c.test.apTrapezoid)),
      'AP (step)': pm(cs.map((c) => c.test.apStep)),
      AUC_A: pm(cs.map((c) => c.test.aucAnomalous)),
    };
    for (const k of classes) row[`AUC ${k}`] = pm(cs.map((c) => c.test.perClassAuc[k]));
    row['AUC final epoch'] = pm(cs.map((c) => c.testFinal.auc));
    row['s/epoch'] = stats(cs.map((c) => c.secondsPerEpoch)).mean.toFixed(2);
    return row;
  });
  const mean = (m: string, f: (c: Cell) => number) => stats(byMethod(m).map(f)).mean;
  const delta = (a: string, b: string, f: (c: Cell) => number) => (byMethod(a).length && byMethod(b).length ? mean(a, f) - mean(b, f) : Number.NaN);
  // A claim is "supported" when the mean difference exceeds the larger of the two seed stds, "contradicted"
  // when it is that far the other way, else "within noise": a coarse rule for 3 seeds, stated with the numbers.
  const claim = (label: string, a: string, b: string, f: (c: Cell) => number) => {
    const d = delta(a, b, f);
    if (Number.isNaN(d)) return `| ${label} | ${a} − ${b} | n/a | n/a |`;
    const noise = Math.max(stats(byMethod(a).map(f)).std, stats(byMethod(b).map(f)).std);
    const verdict = d > noise ? 'supported' : d < -noise ? 'contradicted' : 'within noise';
    return `| ${label} | ${a} − ${b} | ${d >= 0 ? '+' : ''}${d.toFixed(3)} (noise ±${noise.toFixed(3)}) | ${verdict} |`;
  };
  const cls = (k: string) => (c: Cell) => c.test.perClassAuc[k];
  const claims = [
    '| claim | comparison | Δ mean AUC | verdict |',
    '| --- | --- | --- | --- |',
    claim('TGS helps subtle events', 'gsmoe', 'gsmoe-no-tgs', cls('subtle')),
    claim('TGS helps long events', 'gsmoe', 'gsmoe-no-tgs', cls('long')),
    claim('TGS on the single-head encoder (subtle)', 'gsmoe-no-experts', 'urdmu', cls('subtle')),
    claim('TGS on the single-head encoder (long)', 'gsmoe-no-experts', 'urdmu', cls('long')),
    claim('class experts help (overall)', 'gsmoe', 'gsmoe-no-experts', (c) => c.test.auc),
    claim('class experts help the erratic class', 'gsmoe', 'gsmoe-no-experts', cls('erratic')),
    claim('gate vs multi-head with the same labels', 'gsmoe-no-tgs', 'multihead', (c) => c.test.auc),
    claim('memory vs plain MIL', 'urdmu', 'mil', (c) => c.test.auc),
  ].join('\n');
  const t = out.throughput;
  const markdown = `Synthetic §4 snippet features (D = 32, T = 48–96, AR(1) ρ = 0.9; classes ${classes.join(', ')}; train 240 normal + 240 anomalous videos, validation 40 + 40, test 80 + 80), seeds ${out.seeds.join(', ')}, ${out.epochs} epochs, backend ${out.backend}. Mean ± std over seeds, test split, at the epoch with the best **validation** snippet AUC ("AUC final epoch": the last epoch). AUC and AP are over concatenated snippets (equal to UCF-style frame level with ×16 repetition). "AP (trapezoid)" is sklearn \`auc(recall, precision)\` as UR-DMU / GS-MoE compute it; "AP (step)" is \`average_precision_score\`. Per-class AUC: that class's videos plus every normal video. Parameters matched to GS-MoE by the encoder width. TGS σ in snippet units (mean half-width at half-maximum). The machine was shared by other jobs: timings are noisy.

${markdownTable(rows)}

Claims (a positive Δ supports the claim; "supported" / "contradicted" need |Δ| above the larger seed std of the two rows):

${claims}

Streaming scoring (GS-MoE, untrained weights, same cost): ${t.batchedSnippetsPerSecond.toFixed(0)} snippets/s with ${t.cameras} cameras scored per call; one snippet per call (as the worker does) ${t.singleLatencyMsMean.toFixed(2)} ms mean, ${t.singleLatencyMsP95.toFixed(2)} ms p95.`;
  return { results: out, markdown };
};

export default suite;
