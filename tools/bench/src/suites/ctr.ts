// `npm run bench -- ctr [--quick] [--parallel 2] [--settings null,domain,cluster,sparse-tasks] [--no-timing] [--no-latency] [--fresh]`
// Multi-domain CTR (apps/ctr, ctr.md §4.2/§3.5): the pre-registered expectations on the synthetic generator
// (≥ 5 seeds, paired), ablations, training time of AdaptDHM (sparse / dense-masked) vs STAR and per-domain
// towers at D = 8 and 32, and serving latency. Every (setting, seed) cell runs in a child process
// (apps/ctr/src/bench/cell-main.ts) and is cached under bench/results/ctr-cells/ (ctr-quick-cells/ with --quick), so an interrupted
// run is completed by running again (--fresh recomputes); a final child summarises the cells.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, type BenchSuite } from '../report.js';

const CELL_MAIN = join(repoRoot, 'apps', 'ctr', 'src', 'bench', 'cell-main.ts');
const ALL_SETTINGS = ['null', 'domain', 'cluster', 'sparse-tasks'];

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function runChild(args: string[], log: (m: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@moe/source', '--import', 'tsx', CELL_MAIN, ...args], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.startsWith('[ctr]')) log(line.slice(6));
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cell ${args.join(' ')} exited with ${code}:\n${tail}`))));
  });
}

const suite: BenchSuite = async ({ args, quick, log }) => {
  const parallel = Math.max(1, Number(option(args, '--parallel') ?? 2));
  const settings = (option(args, '--settings') ?? ALL_SETTINGS.join(',')).split(',');
  const unknown = settings.filter((s) => !ALL_SETTINGS.includes(s));
  if (unknown.length) throw new Error(`--settings: unknown ${unknown.join(', ')} (known: ${ALL_SETTINGS.join(', ')})`);
  const seeds = quick ? 2 : 5;
  const dir = join(repoRoot, 'bench', 'results', quick ? 'ctr-quick-cells' : 'ctr-cells');
  if (args.includes('--fresh')) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const q = quick ? ['--quick'] : [];
  const jobs: string[][] = [];
  for (const s of settings) for (let seed = 1; seed <= seeds; seed++) {
    const out = join(dir, `cell-${s}-${seed}.json`);
    if (!existsSync(out)) jobs.push(['cell', s, String(seed), out, ...q]);
  }
  if (!args.includes('--no-timing') && !existsSync(join(dir, 'timing.json'))) jobs.push(['timing', join(dir, 'timing.json'), ...q]);
  if (!args.includes('--no-latency') && !existsSync(join(dir, 'latency.json'))) jobs.push(['latency', join(dir, 'latency.json'), ...q]);
  log(`${jobs.length} job(s) to run, ${parallel} at a time (cached cells in ${dir})`);
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      // Timing and latency run alone at the end would be fairer; they are queued last so they overlap at most one cell.
      await runChild(job, log);
      log(`done ${job.slice(0, 3).join(' ')} (${((Date.now() - t0) / 60000).toFixed(1)} min)`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const summary = join(dir, 'summary.json');
  await runChild(['summarize', dir, summary, ...q], log);
  const { results, markdown } = JSON.parse(readFileSync(summary, 'utf8')) as { results: unknown; markdown: string };
  return { results, markdown: `${markdown}\n\nWall time of this invocation: ${((Date.now() - t0) / 60000).toFixed(1)} min (cells cached from earlier invocations not counted).` };
};

export default suite;
