// `npm run bench -- ctr [--quick] [--parallel 2] [--settings null,domain,cluster,sparse-tasks] [--no-timing] [--no-latency] [--fresh] [--no-run]
//    [--rows 300000] [--seeds 5 | 1-5 | 1,3] [--models shared-bottom,mmoe,ple,star,adaptdhm] [--epochs-max 8] [--patience 1]
//    [--gen-seed-offset 5000] [--knobs delta=1.5,xi=0.9,domains=12,zipf=1.5,baseCtr=0.05:0.01]`
// Multi-domain CTR (apps/ctr, ctr.md §4.2/§3.5): the pre-registered expectations on the synthetic generator
// (≥ 5 seeds, paired, effect sizes with 95 % intervals), ablations, training time of AdaptDHM (sparse /
// dense-masked) vs STAR and per-domain towers at D = 8 and 32, and serving latency. Every (setting, seed) runs
// in a child process (apps/ctr/src/bench/cell-main.ts) that saves each model's result as it finishes, under
// bench/results/ctr-cells/ for the published defaults (30k rows, ≤ 4 epochs) or ctr-cells-<tag>/ for other
// rows / epochs / generator seeds / knobs, so an interrupted run is completed by running again (--fresh
// recomputes). Options are validated (in a child: `cell-main.ts plan`) before anything runs. Runs that differ
// from the defaults publish to the BENCHMARKS.md section `ctr-power`, leaving the published table alone.
// --no-run summarises the cached cells only (e.g. a run stopped at a deadline: each comparison uses the seeds
// both of its models finished).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runJsonChild, runLoggedChild } from '../child-json.js';
import { repoRoot, type BenchSuite } from '../report.js';
import { argValue } from '../suite-args.js';

const CELL_MAIN = join(repoRoot, 'apps', 'ctr', 'src', 'bench', 'cell-main.ts');
const RESULTS = join(repoRoot, 'bench', 'results');

/** What `cell-main.ts plan` answers: the validated options (opaque here), the cell directory and the missing cells. */
interface Plan {
  options: { rows: number; seeds: number[] };
  dir: string;
  /** The options reproduce the whole published table (else the report goes to the `ctr-power` section). */
  published: boolean;
  jobs: { setting: string; seed: number; variants: string[] }[];
}

const runChild = (args: string[], log: (m: string) => void) => runLoggedChild(CELL_MAIN, args, { prefix: '[ctr]' }, log);

const suite: BenchSuite = async ({ args, quick, log }) => {
  const parallel = Math.max(1, Number(argValue(args, 'parallel') ?? 2));
  // Suite-level flags stay here; the rest (and --quick) is the cells' business, validated by the plan child.
  const forPlan = args.filter((a, i) => a !== '--parallel' && args[i - 1] !== '--parallel' && !['--fresh', '--no-timing', '--no-latency', '--no-run', '--quick'].includes(a));
  if (quick) forPlan.push('--quick');
  let plan = await runJsonChild<Plan>(CELL_MAIN, ['plan', RESULTS, ...forPlan], 'ctr plan');
  if (args.includes('--fresh')) {
    rmSync(plan.dir, { recursive: true, force: true });
    plan = await runJsonChild<Plan>(CELL_MAIN, ['plan', RESULTS, ...forPlan], 'ctr plan');
  }
  const { dir, published } = plan;
  const optionsJson = JSON.stringify(plan.options);
  mkdirSync(dir, { recursive: true });
  const q = quick ? ['--quick'] : [];
  const jobs: string[][] = args.includes('--no-run') ? [] : plan.jobs.map((j) => ['cell', dir, j.setting, String(j.seed), j.variants.join(','), optionsJson]);
  // The §3.5 timing and serving latency are fixed-size measurements: they run with the published table only
  // (a resized run reports AdaptDHM / STAR time ratios from its own cells).
  const runExtras = published && !args.includes('--no-run');
  if (runExtras && !args.includes('--no-timing') && !existsSync(join(dir, 'timing.json'))) jobs.push(['timing', join(dir, 'timing.json'), ...q]);
  if (runExtras && !args.includes('--no-latency') && !existsSync(join(dir, 'latency.json'))) jobs.push(['latency', join(dir, 'latency.json'), ...q]);
  log(`${jobs.length} job(s) to run, ${parallel} at a time (cached cells in ${dir})`);
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      // Timing and latency run alone at the end would be fairer; they are queued last so they overlap at most one cell.
      await runChild(job, log);
      log(`done ${job[0] === 'cell' ? job.slice(2, 5).join(' ') : job[0]} (${((Date.now() - t0) / 60000).toFixed(1)} min)`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const summary = join(dir, 'summary.json');
  await runChild(['summarize', dir, summary, optionsJson], log);
  const { results, markdown } = JSON.parse(readFileSync(summary, 'utf8')) as { results: unknown; markdown: string };
  return {
    results,
    markdown: `${markdown}\n\nWall time of this invocation: ${((Date.now() - t0) / 60000).toFixed(1)} min (cells cached from earlier invocations not counted).`,
    ...(published ? {} : { section: 'ctr-power' }),
  };
};

export default suite;
