import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** What every suite returns: raw results for the JSON file and a Markdown section for BENCHMARKS.md. */
export interface BenchReport {
  /** Whatever the suite measured; written to bench/results/<suite>.json. */
  results: unknown;
  /** Markdown (tables, notes) placed under the suite's heading in BENCHMARKS.md. */
  markdown: string;
  /** Publish under this name instead of the suite's (a variant run that must not replace the main table). */
  section?: string;
}

export interface BenchContext {
  /** Extra CLI args after the suite name, e.g. ['--quick']. */
  args: string[];
  quick: boolean;
  log: (msg: string) => void;
}

export type BenchSuite = (ctx: BenchContext) => Promise<BenchReport>;

export function machineDescription(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Writes bench/results/<suite>.json and replaces the suite's section of BENCHMARKS.md (between
 * `<!-- bench:<suite>:start -->` and `<!-- bench:<suite>:end -->`), leaving other suites' sections alone.
 */
export function publish(suite: string, command: string, report: BenchReport): void {
  const stamp = new Date().toISOString();
  const machine = machineDescription();
  writeAtomic(join(repoRoot, 'bench', 'results', `${suite}.json`), JSON.stringify({ suite, command, date: stamp, machine, results: report.results }, null, 2) + '\n');
  const mdPath = join(repoRoot, 'BENCHMARKS.md');
  const header = '# Benchmarks\n\nEach section is written by `npm run bench -- <suite>`; raw numbers are in `bench/results/<suite>.json`.\n';
  let md = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : header;
  const start = `<!-- bench:${suite}:start -->`;
  const end = `<!-- bench:${suite}:end -->`;
  const section = `${start}\n## ${suite}\n\nCommand: \`${command}\` — ${stamp}, ${machine}\n\n${report.markdown.trim()}\n${end}`;
  const i = md.indexOf(start);
  const j = md.indexOf(end);
  md = i >= 0 && j > i ? md.slice(0, i) + section + md.slice(j + end.length) : `${md.trimEnd()}\n\n${section}\n`;
  writeAtomic(mdPath, md);
}

/** A Markdown table from rows of equal keys. */
export function markdownTable(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '_no rows_';
  const keys = Object.keys(rows[0]);
  const fmt = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v);
  return [`| ${keys.join(' | ')} |`, `| ${keys.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${keys.map((k) => fmt(r[k] ?? '')).join(' | ')} |`)].join('\n');
}
