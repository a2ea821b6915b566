// `npm run bench -- ctr-vs-ref [--ref <commit>] [--settings null,domain,cluster,sparse-tasks] [--seeds 1-5]
//    [--no-timing] [--no-latency] [--quick]`
// The CTR table (the `ctr` suite's published 30k-row defaults) measured on an earlier commit and on this one in
// the same run: each (setting, seed) cell runs twice at the same time, the earlier commit's code in a tree
// extracted by git archive (`ref-tree.ts`, sharing this checkout's installed packages) and this commit's code,
// on the wasm backend with the native GEMM off for both. The default ref is the last commit before the CTR
// blocks moved into @moe/core (issue 12: "the CTR benchmark numbers must not get worse"). Cells are cached
// under bench/results/ctr-vs-ref-<sha>/{ref,head}/, so an interrupted run resumes; the report (paired AUC
// differences, both commits' verdicts, timing and latency ratios) goes to the BENCHMARKS.md section ctr-vs-ref.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJsonChild, runLoggedChild } from '../child-json.js';
import { checkoutRef } from '../ref-tree.js';
import { repoRoot, type BenchSuite } from '../report.js';
import { argValue } from '../suite-args.js';

/** The last landed commit before issue 12, whose `apps/ctr/src/model` still had its own layers (d1572b5 moved them into @moe/core; the commits in between hold partial trees that do not run). */
const CTR_MOVE_BASE = '3739d1da7a6a85a848aa7cf86f0de33bc4f4db2f';

const CELL_MAIN = join('apps', 'ctr', 'src', 'bench', 'cell-main.ts');
/** Both commits run on plain wasm: the comparison is of the model code, not of the GEMM engine. */
const ENV = { MOE_BACKEND: 'wasm', MOE_NATIVE: '0' };

interface Plan {
  options: { rows: number; seeds: number[]; settings: string[] };
  dir: string;
  jobs: { setting: string; seed: number; variants: string[] }[];
}

/** A child run of one commit: its cell-main arguments, and the file whose presence means it is done (if any). */
interface Side {
  cwd: string;
  args: string[];
  done?: string;
}

const suite: BenchSuite = async ({ args, quick, log }) => {
  const allowed = new Set(['--ref', '--settings', '--seeds', '--no-timing', '--no-latency', '--quick']);
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith('--')) continue;
    if (!allowed.has(args[i])) throw new RangeError(`ctr-vs-ref: unknown option '${args[i]}' (allowed: ${[...allowed].join(', ')}; the earlier commit only knows the published sizes)`);
  }
  const ref = checkoutRef(argValue(args, 'ref') ?? CTR_MOVE_BASE);
  const refName = ref.sha.slice(0, 7);
  const base = join(repoRoot, 'bench', 'results', `ctr-vs-ref-${quick ? 'quick-' : ''}${ref.sha.slice(0, 12)}`);
  const forPlan = ['--settings', '--seeds'].flatMap((name) => (argValue(args, name.slice(2)) ? [name, argValue(args, name.slice(2))!] : []));
  if (quick) forPlan.push('--quick');
  const headMain = join(repoRoot, CELL_MAIN);
  const plan = await runJsonChild<Plan>(headMain, ['plan', join(base, 'head'), ...forPlan], 'ctr plan');
  const headDir = plan.dir;
  const refDir = join(base, 'ref');
  const optionsJson = JSON.stringify(plan.options);
  const q = quick ? ['--quick'] : [];
  // Earlier commits wrote one file per (setting, seed) with every variant; later ones take the variant list.
  const refPerVariant = readFileSync(join(ref.dir, CELL_MAIN), 'utf8').includes("command === 'plan'");
  const refCell = (setting: string, seed: number, variants: string[]): Side =>
    refPerVariant
      ? { cwd: ref.dir, args: ['cell', refDir, setting, String(seed), variants.join(','), optionsJson] }
      : { cwd: ref.dir, args: ['cell', setting, String(seed), join(refDir, `cell-${setting}-${seed}.json`), ...q], done: join(refDir, `cell-${setting}-${seed}.json`) };
  const pairs: { label: string; sides: Side[] }[] = [];
  for (const seed of plan.options.seeds) {
    for (const setting of plan.options.settings) {
      const headJob = plan.jobs.find((j) => j.setting === setting && j.seed === seed);
      const sides: Side[] = [];
      const refSide = refCell(setting, seed, headJob?.variants ?? []);
      if (!refSide.done || !existsSync(refSide.done)) sides.push(refSide);
      if (headJob) sides.push({ cwd: repoRoot, args: ['cell', headDir, setting, String(seed), headJob.variants.join(','), optionsJson] });
      if (sides.length) pairs.push({ label: `${setting} seed ${seed}`, sides });
    }
  }
  for (const [flag, what] of [['--no-timing', 'timing'], ['--no-latency', 'latency']] as const) {
    if (args.includes(flag)) continue;
    const sides = [{ cwd: ref.dir, args: [what, join(refDir, `${what}.json`), ...q], done: join(refDir, `${what}.json`) }, { cwd: repoRoot, args: [what, join(headDir, `${what}.json`), ...q], done: join(headDir, `${what}.json`) }].filter((s) => !existsSync(s.done));
    if (sides.length) pairs.push({ label: what, sides });
  }
  log(`ref ${ref.sha} extracted at ${ref.dir}; ${pairs.length} pair(s) to run, the two commits side by side`);
  const t0 = Date.now();
  for (const pair of pairs) {
    // The two commits' runs of a pair share the machine at the same moment, so their time ratio is fair.
    await Promise.all(pair.sides.map((s) => runLoggedChild(join(s.cwd, CELL_MAIN), s.args, { cwd: s.cwd, env: ENV, prefix: '[ctr]' }, (m) => log(`${s.cwd === repoRoot ? 'head' : refName} ${m}`))));
    log(`done ${pair.label} (${((Date.now() - t0) / 60000).toFixed(1)} min)`);
  }
  const out = join(base, 'comparison.json');
  await runLoggedChild(headMain, ['compare', refDir, headDir, refName, out, optionsJson], { prefix: '[ctr]' }, log);
  const { results, markdown } = JSON.parse(readFileSync(out, 'utf8')) as { results: unknown; markdown: string };
  return { results, markdown: `${markdown}\n\nWall time of this invocation: ${((Date.now() - t0) / 60000).toFixed(1)} min (cells cached from earlier invocations not counted).` };
};

export default suite;
