// `npm run bench -- drift [--quick] [--streams sea_a,elec] [--methods ht,driftmoe-data] [--seeds 1-10]
//   [--n 1000000] [--parallel 2] [--budget-min 40] [--throughput-n 20000] [--no-throughput]
//   [--knobs streamSeedOffset=1000,noise=20,driftWidth=10000,driftSeed=7,centroids=30,driftCentroids=10,speed=5e-4]`
// --knobs runs the synthetic streams on generator settings nobody tuned on (apps/drift/src/data/stream-knobs.ts);
// their cells are cached and reported apart from the paper's settings (published values do not apply there).
// DriftMoE reproduction (drift.md §2): prequential accuracy of MoE-Data, MoE-Task, DriftMoE+, HT and ARF on
// the paper's streams, mean ± std over seeds beside the published numbers, and throughput on SEA_a.
// Every (stream, method, seed, n) cell runs in a child process (apps/drift/src/bench/cell-main.ts) and is
// cached in bench/results/drift-cells/, so an interrupted or partial run is completed by running again;
// the report summarises every cached cell of the requested n.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { knobsTag, parseStreamKnobs } from '@moe/drift';
import { runJsonChild } from '../child-json.js';
import { markdownTable, repoRoot, type BenchSuite } from '../report.js';
import { argValue, parseSeedList } from '../suite-args.js';
import { mean, meanStd as fmt, std } from '../seed-stats.js';

const ALL_STREAMS = ['led_a', 'led_g', 'sea_a', 'sea_g', 'rbf_m', 'rbf_f', 'elec'];
const ALL_METHODS = ['driftmoe-data', 'driftmoe-task', 'driftmoe-plus', 'ht', 'arf'];
const ELEC = join(repoRoot, '..', 'shared', 'data', 'elecNormNew.arff');
const CELL_MAIN = join(repoRoot, 'apps', 'drift', 'src', 'bench', 'cell-main.ts');
const CELLS = join(repoRoot, 'bench', 'results', 'drift-cells');

/** Published prequential accuracy (%), drift.md §2.4: DriftMoE mean ± std (text), ARF mean (chart). */
const PUBLISHED: Record<string, { data: [number, number]; task: [number, number]; arf: number }> = {
  elec: { data: [83.76, 0.45], task: [68.73, 0.85], arf: 90.08 },
  led_a: { data: [73.77, 0.18], task: [71.11, 0.54], arf: 73.96 },
  led_g: { data: [73.11, 0.11], task: [70.82, 0.38], arf: 73.04 },
  sea_a: { data: [89.09, 0.05], task: [88.04, 0.09], arf: 89.69 },
  sea_g: { data: [88.74, 0.05], task: [87.76, 0.04], arf: 89.33 },
  rbf_f: { data: [61.9, 0.2], task: [75.45, 0.11], arf: 86.37 },
  rbf_m: { data: [79.89, 0.48], task: [88.65, 0.07], arf: 92.04 },
};

interface CellResult {
  stream: string;
  method: string;
  seed: number;
  n: number;
  instances: number;
  metrics: { accuracy: number; kappa: number; kappaM: number; kappaT: number };
  seconds: number;
  instancesPerSecond: number;
  /** Absent in cells cached before it was recorded. */
  instancesPerCpuSecond?: number;
  stats: { driftDetections: number; expertUsage: number[] };
  /** Generator knobs (`knobsTag`), '' or absent for the paper's settings. */
  knobs?: string;
}

function parseList(v: string | undefined, all: string[], what: string): string[] {
  if (!v) return all;
  const out = v.split(',').map((s) => s.trim());
  for (const s of out) if (!all.includes(s)) throw new RangeError(`--${what}: expected some of ${all.join(',')}, got '${s}'`);
  return out;
}

/** Electricity is a file: generator knobs do not apply to it. */
const knobsFor = (stream: string, knobs: string) => (stream === 'elec' ? '' : knobs);
const cellFile = (stream: string, method: string, seed: number, n: number, knobs = '') =>
  join(CELLS, `${stream}__${method}__s${seed}__n${stream === 'elec' ? 'all' : n}${knobsFor(stream, knobs) ? `__k${knobsFor(stream, knobs).replace(/[^A-Za-z0-9.=-]+/g, '_')}` : ''}.json`);

async function runCell(stream: string, method: string, seed: number, n: number, knobs = ''): Promise<CellResult> {
  const r = await runJsonChild<Omit<CellResult, 'n'>>(CELL_MAIN, [stream, method, String(seed), String(n), ELEC, knobsFor(stream, knobs)], `cell ${stream}/${method}/seed ${seed}`);
  return { ...r, n: stream === 'elec' ? r.instances : n, knobs: knobsFor(stream, knobs) };
}

function saveCell(path: string, r: CellResult): void {
  mkdirSync(CELLS, { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(r) + '\n');
  renameSync(`${path}.tmp`, path);
}

const NOTES = `Notes.
- Methods: \`driftmoe-data\` / \`driftmoe-task\` follow the authors' code (drift.md §1); \`ht\` is one MOA-default Hoeffding
  tree; \`arf\` is ARF with CapyMOA defaults (100 trees, λ = 6, 60 % subspaces, ADWIN 0.001 / 0.01). \`driftmoe-plus\` is our
  variant (a deviation): standardised router inputs, router-weighted mixture of normalised expert votes, Poisson(6)
  online bagging of all 12 experts on top of the router's top-3, ADWIN (δ 0.002) replacement of an expert whose error
  rises. Its settings were chosen on RBF_f with seed 101 and 100,000 instances (never on the reported seeds 1–10, never
  on Electricity).
- Router initialisation and dropout draw from java.util.Random, not torch's generator, so single seeds differ from the
  authors' runs; only seed statistics are comparable.
- MoE-Data's deficit to the published values (about 2 points on Electricity and RBF): the authors' own \`driftmoe/\`
  code, run unmodified against real MOA trees (§drift-gap, candidate \`authors-code\`), is within noise of the port on
  all three streams it serves, and falls short of the published values too (on Electricity and RBF_f its interval
  excludes them; on RBF_m five seeds spread too widely to tell). The deficit is not in the port.
- Full protocol (all 7 streams × 5 methods × seeds 1–10 × 1,000,000 instances): \`npm run bench -- drift\`. Cells already
  in \`bench/results/drift-cells/\` are reused, so the command completes a partial run; \`--streams\`, \`--methods\`,
  \`--seeds 1-10\`, \`--n\`, \`--parallel\` (≤ 2) and \`--budget-min\` choose a slice. \`--quick\` = 20,000 instances, seeds 1–2.
- Per-cell seconds are in \`bench/results/drift.json\`; they were measured two cells at a time on a 2-core machine shared
  with other engineers' jobs (load average 10–20), so they understate single-core speed several times.`;


/**
 * Which (stream, method) cells of the protocol lack seeds, with the compute they would take: the median measured
 * seconds per instance of that cell's runs (or, when it has none, of the method's runs on the other streams,
 * scaled to this stream's length) times the instances the missing seeds need. This is how the table says why a
 * cell has fewer than the protocol's 10 seeds.
 */
function completeness(cells: CellResult[], wanted: number, n: number): Record<string, string | number>[] {
  const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);
  const rows: Record<string, string | number>[] = [];
  for (const stream of ALL_STREAMS) {
    for (const method of ALL_METHODS) {
      const own = cells.filter((c) => c.stream === stream && c.method === method);
      const missing = Math.max(0, wanted - own.length);
      if (missing === 0) continue;
      const basis = own.length ? own : cells.filter((c) => c.method === method);
      const instances = own[0]?.instances ?? (stream === 'elec' ? ELEC_INSTANCES : n);
      const perCell = median(basis.map((c) => c.seconds / c.instances)) * instances;
      rows.push({
        stream,
        method,
        'seeds run': `${own.length}/${wanted}`,
        's per cell (median)': Number.isFinite(perCell) ? Math.round(perCell) : '–',
        basis: own.length ? 'this cell' : basis.length ? `${[...new Set(basis.map((c) => c.stream))].join(', ')}, scaled by length` : 'no run yet',
        'core-hours to finish': Number.isFinite(perCell) ? ((perCell * missing) / 3600).toFixed(1) : '–',
      });
    }
  }
  return rows;
}

/** Instances of the full elecNormNew stream. */
const ELEC_INSTANCES = 45_312;

const suite: BenchSuite = async ({ args, quick, log }) => {
  const streams = parseList(argValue(args, 'streams'), ALL_STREAMS, 'streams');
  const methods = parseList(argValue(args, 'methods'), ALL_METHODS, 'methods');
  const seeds = parseSeedList(argValue(args, 'seeds'), quick ? [1, 2] : Array.from({ length: 10 }, (_, i) => i + 1));
  const n = Number(argValue(args, 'n') ?? (quick ? 20_000 : 1_000_000));
  const parallel = Math.max(1, Math.min(2, Number(argValue(args, 'parallel') ?? 2)));
  const budgetMs = Number(argValue(args, 'budget-min') ?? (quick ? 20 : 600)) * 60_000;
  const throughputN = Number(argValue(args, 'throughput-n') ?? (quick ? 5_000 : 20_000));
  if (!(n > 0)) throw new RangeError(`--n: expected a positive integer, got ${argValue(args, 'n')}`);
  const knobs = knobsTag(parseStreamKnobs(argValue(args, 'knobs')));

  const todo: [string, string, number][] = [];
  for (const seed of seeds) for (const stream of streams) for (const method of methods) todo.push([stream, method, seed]);
  const started = Date.now();
  let ran = 0;
  let skipped = 0;
  const queue = todo.filter(([s, m, seed]) => !existsSync(cellFile(s, m, seed, n, knobs)));
  log(`${todo.length} cells requested, ${todo.length - queue.length} cached, ${queue.length} to run (${parallel} in parallel, budget ${budgetMs / 60_000} min)`);
  const worker = async () => {
    for (;;) {
      const next = queue.shift();
      if (!next) return;
      if (Date.now() - started > budgetMs) {
        skipped++;
        continue;
      }
      const [stream, method, seed] = next;
      const t0 = Date.now();
      const r = await runCell(stream, method, seed, n, knobs);
      saveCell(cellFile(stream, method, seed, n, knobs), r);
      ran++;
      log(`${stream} ${method} seed ${seed}: ${(r.metrics.accuracy * 100).toFixed(2)} % in ${((Date.now() - t0) / 1000).toFixed(0)} s (${Math.round(r.instancesPerSecond)} inst/s)`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));

  // Throughput on SEA_a, one learner at a time (sequentially, so two of ours never share the cores).
  const throughput: { method: string; instances: number; instancesPerSecond: number; instancesPerCpuSecond: number }[] = [];
  if (!args.includes('--no-throughput')) {
    for (const method of methods) {
      const m = method === 'arf' ? Math.max(1000, Math.floor(throughputN / 10)) : throughputN;
      const r = await runCell('sea_a', method, 1, m);
      throughput.push({ method, instances: m, instancesPerSecond: r.instancesPerSecond, instancesPerCpuSecond: r.instancesPerCpuSecond ?? NaN });
      log(`throughput ${method}: ${Math.round(r.instancesPerSecond)} inst/s wall, ${Math.round(r.instancesPerCpuSecond ?? NaN)} per CPU-second, over ${m} instances`);
    }
  }

  // Summarise every cached cell of this n (earlier invocations included).
  const cells: CellResult[] = existsSync(CELLS)
    ? readdirSync(CELLS)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(join(CELLS, f), 'utf8')) as CellResult)
        .filter((c) => (c.stream === 'elec' ? knobs === '' : c.n === n && (c.knobs ?? '') === knobs))
    : [];
  const rows: Record<string, string | number>[] = [];
  const summary: Record<string, unknown>[] = [];
  const misses: string[] = [];
  for (const stream of ALL_STREAMS) {
    for (const method of ALL_METHODS) {
      const cs = cells.filter((c) => c.stream === stream && c.method === method).sort((a, b) => a.seed - b.seed);
      if (cs.length === 0) continue;
      const acc = cs.map((c) => c.metrics.accuracy * 100);
      const pub = PUBLISHED[stream];
      // Published values belong to the paper's settings only.
      const published = knobs !== '' ? null : method === 'driftmoe-data' ? pub.data : method === 'driftmoe-task' ? pub.task : method === 'arf' ? [pub.arf, NaN] : null;
      const delta = published ? mean(acc) - published[0] : NaN;
      const isDriftMoe = method === 'driftmoe-data' || method === 'driftmoe-task';
      const within = isDriftMoe && published ? (Math.abs(delta) <= 1.5 ? 'yes' : 'NO') : '–';
      if (isDriftMoe && within === 'NO') misses.push(`${stream} ${method}: ${mean(acc).toFixed(2)} vs ${published?.[0]} (Δ ${delta.toFixed(2)})`);
      rows.push({
        stream,
        method,
        instances: cs[0].instances,
        seeds: cs.map((c) => c.seed).join(','),
        'accuracy % (ours)': fmt(acc),
        'published %': published ? (Number.isNaN(published[1]) ? `${published[0]} (chart)` : `${published[0]} ± ${published[1]}`) : '–',
        Δ: Number.isNaN(delta) ? '–' : delta.toFixed(2),
        '±1.5': within,
        kappa: fmt(cs.map((c) => c.metrics.kappa * 100)),
        'kappa_m': fmt(cs.map((c) => c.metrics.kappaM * 100)),
        'kappa_t': fmt(cs.map((c) => c.metrics.kappaT * 100)),
      });
      summary.push({ stream, method, knobs, instances: cs[0].instances, seeds: cs.map((c) => c.seed), accuracy: acc, meanAccuracy: mean(acc), stdAccuracy: std(acc), published, kappa: cs.map((c) => c.metrics.kappa), kappaM: cs.map((c) => c.metrics.kappaM), kappaT: cs.map((c) => c.metrics.kappaT), driftDetections: cs.map((c) => c.stats.driftDetections), cellSeconds: cs.map((c) => c.seconds) });
    }
  }
  const md = [
    ...(knobs !== '' ? [`**Held-out generator settings \`${knobs}\`** (not the paper's streams: no published values apply).`, ''] : []),
    `Prequential (test-then-train) accuracy over the whole stream, mean ± sample std over the seeds listed, beside the`,
    `published numbers (drift.md §2.4: DriftMoE rows from the project page text, ARF read off its chart). Synthetic streams`,
    `have ${n.toLocaleString('en')} instances here; \`elec\` is the full elecNormNew (45,312). Airlines and CovType are not`,
    `available on this machine (no copy; downloads unreachable), so they are not run. This invocation ran ${ran} cells`,
    `(${skipped} skipped by the time budget); the table covers every cached cell in \`bench/results/drift-cells/\`.`,
    '',
    markdownTable(rows),
    '',
    misses.length ? `DriftMoE settings outside ±1.5 points: ${misses.join('; ')}.` : 'Every DriftMoE setting run is within ±1.5 points.',
    '',
    ...(() => {
      const gaps = completeness(cells, 10, n);
      if (gaps.length === 0) return ['Every cell has the protocol\'s 10 seeds.', ''];
      const hours = gaps.reduce((a, g) => a + (Number(g['core-hours to finish']) || 0), 0);
      return [
        `Cells with fewer than the protocol's 10 seeds, and why: each missing seed is one more run of the cell's measured length; about ${hours.toFixed(0)} core-hours in all (${(hours / 2).toFixed(0)} hours on this 2-core machine), more than a working session here has. They are not skipped for any other reason; \`npm run bench -- drift\` runs them, resuming from the cache.`,
        '',
        markdownTable(gaps),
        '',
      ];
    })(),
    NOTES,
    '',
    throughput.length
      ? `Throughput on SEA_a (seed 1, one process at a time; the machine is shared, so these are as measured under other load; ARF over a tenth of the instances):\n\n${markdownTable(throughput.map((t) => ({ method: t.method, instances: t.instances, 'instances/s (wall)': Math.round(t.instancesPerSecond), 'instances per CPU-second': Math.round(t.instancesPerCpuSecond), target: t.method === 'ht' ? '≥ 100,000' : t.method.startsWith('driftmoe-data') ? '≥ 20,000' : '–' })))}\n\nWall-clock rate includes waiting for a core under the shared load; the CPU-second rate is the process's own user + system time (still slowed by cache and memory-bandwidth contention). Targets: DriftMoE ≥ 20,000, HT ≥ 100,000 instances/s on one core.`
      : '',
  ].join('\n');
  // Held-out settings get their own JSON file and BENCHMARKS.md section, so the paper's table stays.
  return { results: { n, knobs, streams, methods, seeds, ran, skipped, summary, throughput }, markdown: md, ...(knobs !== '' ? { section: 'drift-heldout' } : {}) };
};

export default suite;
