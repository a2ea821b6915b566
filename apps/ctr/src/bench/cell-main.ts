// Child-process entry of the CTR benchmark (tools/bench/src/suites/ctr.ts spawns it, one cell at a time per
// process so two cells can run in parallel):
//   cell-main.ts cell <setting> <seed> <out.json> [--quick]
//   cell-main.ts timing <out.json> [--quick]
//   cell-main.ts latency <out.json> [--quick]
//   cell-main.ts summarize <cells-dir> <out.json> [--quick]
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { selectBackend } from '@moe/runtime';
import '@moe/kernels';
import type { Setting } from './settings.js';
import { runCell } from './run-cell.js';
import { measureTrainingTime } from './timing.js';
import { measureLatency } from './latency.js';
import { summarizeBench } from './summarize.js';

const args = process.argv.slice(2).filter((a) => a !== '--quick');
const quick = process.argv.includes('--quick');
const log = (m: string) => process.stderr.write(`[ctr] ${m}\n`);

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
  renameSync(tmp, path);
}

const [command, ...rest] = args;
if (command === 'summarize') {
  const [cellsDir, out] = rest;
  writeJson(out, summarizeBench(cellsDir, quick));
} else {
  const selection = await selectBackend({ request: process.env.MOE_BACKEND ?? 'wasm' });
  log(selection.summary);
  if (command === 'cell') {
    const [setting, seed, out] = rest;
    writeJson(out, await runCell(setting as Setting['id'], Number(seed), quick, log));
  } else if (command === 'timing') {
    writeJson(rest[0], { backend: selection.backend, rows: await measureTrainingTime(quick, log) });
  } else if (command === 'latency') {
    writeJson(rest[0], { backend: selection.backend, rows: await measureLatency(quick, log) });
  } else {
    process.stderr.write('usage: cell-main.ts cell <setting> <seed> <out> | timing <out> | latency <out> | summarize <dir> <out> [--quick]\n');
    process.exit(2);
  }
}
