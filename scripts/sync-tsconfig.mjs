#!/usr/bin/env node
// Writes each workspace package's tsconfig.json from its package.json: TypeScript project references follow
// the @moe/* dependencies (what `nx sync` does in template workspaces), and the root tsconfig.json lists
// every package. Run after adding a package or a workspace dependency.
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dirs = rootPkg.workspaces.flatMap((w) => expand(w)).filter((d) => existsSync(join(root, d, 'package.json'))).sort();
const byName = new Map(dirs.map((d) => [JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')).name, d]));

for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies }).filter((n) => byName.has(n));
  const tsconfig = {
    extends: relative(join(root, dir), join(root, 'tsconfig.base.json')),
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/tsconfig.tsbuildinfo' },
    include: ['src/**/*.ts'],
    references: deps.map((n) => ({ path: relative(join(root, dir), join(root, byName.get(n))) })),
  };
  writeFileSync(join(root, dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n');
}
writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ files: [], references: dirs.map((d) => ({ path: `./${d}` })) }, null, 2) + '\n');
console.log(`synced ${dirs.length} tsconfig files`);

// Workspace globs here are `dir/*` or a plain directory; Node 20 has no fs.globSync.
function expand(pattern) {
  if (!pattern.endsWith('/*')) return [pattern];
  const base = pattern.slice(0, -2);
  return existsSync(join(root, base)) ? readdirSync(join(root, base), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${base}/${e.name}`) : [];
}
