#!/usr/bin/env node
// `npm run build [-- <lib> …]`: emits dist/ (ES modules + .d.ts) for every library under libs/, or for the
// named ones (`npm run build -- core runtime`). It is `tsc -b` over the libraries' project references,
// with the same outDir as `npm run typecheck`, so the two share one incremental state instead of fighting.
// Packages resolve each other's dist/ through the `import`/`types` export conditions once built; in-repo
// dev and tests keep resolving src/ through the `@moe/source` condition and need no build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const all = readdirSync(join(root, 'libs'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(root, 'libs', e.name, 'tsconfig.json')))
  .map((e) => e.name)
  .sort();
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const named = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = named.filter((n) => !all.includes(n.replace(/^libs\//, '').replace(/^@moe\//, '')));
if (unknown.length) {
  process.stderr.write(`build: unknown librar${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; expected some of ${all.join(', ')}\n`);
  process.exit(2);
}
const libs = named.length ? named.map((n) => n.replace(/^libs\//, '').replace(/^@moe\//, '')) : all;
const started = Date.now();
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', ...flags, ...libs.map((l) => `libs/${l}`)], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
const stale = libs.reduce((n, l) => n + removeStaleOutputs(join(root, 'libs', l, 'dist'), join(root, 'libs', l, 'src')), 0);
process.stderr.write(`build: ${libs.join(', ')} → libs/*/dist in ${((Date.now() - started) / 1000).toFixed(1)} s${stale ? `; removed ${stale} stale output file(s)` : ''}\n`);

/**
 * tsc never deletes the outputs of a source file that was removed or renamed; they would still be packed.
 * Removes every .js / .d.ts (and map) under dist/ whose .ts under src/ is gone; returns how many.
 */
function removeStaleOutputs(dist, src) {
  if (!existsSync(dist)) return 0;
  let removed = 0;
  for (const e of readdirSync(dist, { withFileTypes: true })) {
    const out = join(dist, e.name);
    if (e.isDirectory()) {
      removed += removeStaleOutputs(out, join(src, e.name));
      continue;
    }
    const m = /^(.*?)(\.d\.ts|\.js)(\.map)?$/.exec(e.name);
    if (m && !existsSync(join(src, `${m[1]}.ts`))) {
      rmSync(out);
      removed++;
    }
  }
  return removed;
}
