// `npm run bench -- <suite> [--quick]`: runs one benchmark suite (tools/bench/src/suites/<suite>.ts, whose
// default export is a BenchSuite), then writes bench/results/<suite>.json and its BENCHMARKS.md section.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { publish, repoRoot, type BenchSuite } from './report.js';

const suitesDir = join(repoRoot, 'tools', 'bench', 'src', 'suites');
const available = readdirSync(suitesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts')).map((f) => f.slice(0, -3)).sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <suite> [--quick]\n  suite: ${available.join(', ') || '(none yet)'}${name ? `\n  unknown suite '${name}'` : ''}\n`);
  process.exit(2);
}
const mod = (await import(join(suitesDir, `${name}.ts`))) as { default: BenchSuite };
const quick = args.includes('--quick');
const report = await mod.default({ args, quick, log: (m) => process.stderr.write(`[bench ${name}] ${m}\n`) });
const section = report.section ?? name;
publish(section, `npm run bench -- ${[name, ...args].join(' ')}`, report);
process.stderr.write(`[bench ${name}] wrote bench/results/${section}.json and BENCHMARKS.md\n`);
