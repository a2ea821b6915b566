// Child-process entry of the CTR benchmark (tools/bench/src/suites/ctr.ts spawns it; one cell per process so
// two cells can run in parallel). <options> is the JSON of `parseBenchOptions`.
//   cell-main.ts plan <results-dir> [bench args…]            → JSON { options, dir, published, jobs } on stdout
//   cell-main.ts cell <cells-dir> <setting> <seed> <variant,…> <options>
//   cell-main.ts timing <out.json> [--quick]
//   cell-main.ts latency <out.json> [--quick]
//   cell-main.ts summarize <cells-dir> <out.json> <options>
//   cell-main.ts compare <ref-dir> <head-dir> <ref-name> <out.json> <options>   (npm run bench -- ctr-vs-ref)
import { selectBackend } from '@moe/runtime';
import '@moe/kernels';
import { isPublishedTable, parseBenchOptions, type BenchOptions } from './bench-options.js';
import { cellsDir, pendingJobs, variantCellFile, writeJson } from './cell-store.js';
import type { Setting } from './settings.js';
import { runCell } from './run-cell.js';
import { measureTrainingTime } from './timing.js';
import { measureLatency } from './latency.js';
import { summarizeBench } from './summarize.js';
import { compareWithRef, refComparisonMarkdown } from './compare-ref.js';

const log = (m: string) => process.stderr.write(`[ctr] ${m}\n`);
const [command, ...rest] = process.argv.slice(2);
const quick = rest.includes('--quick');

if (command === 'plan') {
  const [resultsDir, ...args] = rest;
  const options = parseBenchOptions(args, quick);
  const dir = cellsDir(resultsDir, options);
  process.stdout.write(JSON.stringify({ options, dir, published: isPublishedTable(options), jobs: pendingJobs(dir, options) }) + '\n');
} else if (command === 'summarize') {
  const [dir, out, optionsJson] = rest;
  writeJson(out, summarizeBench(dir, JSON.parse(optionsJson) as BenchOptions));
} else if (command === 'compare') {
  const [refDir, headDir, refName, out, optionsJson] = rest;
  const comparison = compareWithRef(refDir, headDir, JSON.parse(optionsJson) as BenchOptions);
  writeJson(out, { results: comparison, markdown: refComparisonMarkdown(comparison, refName) });
} else {
  const selection = await selectBackend({ request: process.env.MOE_BACKEND ?? 'wasm' });
  log(selection.summary);
  if (command === 'cell') {
    const [dir, setting, seed, variants, optionsJson] = rest;
    const options = JSON.parse(optionsJson) as BenchOptions;
    await runCell(options, setting as Setting['id'], Number(seed), variants.split(','), (cell, v) => writeJson(variantCellFile(dir, setting, Number(seed), v.id!), { ...cell, variants: [v] }), log);
  } else if (command === 'timing') {
    writeJson(rest[0], { backend: selection.backend, rows: await measureTrainingTime(quick, log) });
  } else if (command === 'latency') {
    writeJson(rest[0], { backend: selection.backend, rows: await measureLatency(quick, log) });
  } else {
    process.stderr.write('usage: cell-main.ts plan <results-dir> [args] | cell <dir> <setting> <seed> <variants> <options> | timing <out> | latency <out> | summarize <dir> <out> <options> | compare <ref-dir> <head-dir> <ref-name> <out> <options>\n');
    process.exit(2);
  }
}
