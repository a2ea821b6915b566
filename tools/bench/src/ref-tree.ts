import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './report.js';

/** A source tree of an earlier commit, runnable with this checkout's installed packages. */
export interface RefTree {
  /** The full commit id the ref resolved to. */
  sha: string;
  /** Root of the extracted tree. */
  dir: string;
}

/** Names of the workspace packages of `root` (`libs/*`, `apps/*`, `tools/*`, `test`) with their folders. */
function workspacePackages(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const consider = (folder: string) => {
    const manifest = join(folder, 'package.json');
    if (!existsSync(manifest)) return;
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
    if (name) found.set(name, folder);
  };
  for (const group of ['libs', 'apps', 'tools']) {
    const base = join(root, group);
    if (existsSync(base)) for (const entry of readdirSync(base)) consider(join(base, entry));
  }
  consider(join(root, 'test'));
  return found;
}

/**
 * Extracts commit `ref` of this repository (git archive, so the repository's worktree list is untouched) into
 * a folder under the OS temp dir, once per commit, and gives it a `node_modules` whose workspace packages
 * (`@moe/*`) link to the extracted tree while every third-party package links to this checkout's install.
 * The old code then runs against the same library versions as the new one, which is what a same-run
 * comparison of two commits needs. Throws when `ref` does not name a commit.
 */
export function checkoutRef(ref: string): RefTree {
  let sha: string;
  try {
    sha = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    throw new RangeError(`--ref: expected a commit of this repository, got '${ref}' (a shallow clone may lack it: git fetch --unshallow)`);
  }
  const dir = join(tmpdir(), `moe-ref-${sha.slice(0, 12)}`);
  if (existsSync(join(dir, '.ref-ready'))) return { sha, dir };
  // Build next to the final folder and rename at the end, so an interrupted extraction is never reused.
  const building = `${dir}.partial-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  execFileSync('sh', ['-c', `git archive --format=tar ${sha} | tar -x -C "${building}"`], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  const modules = join(building, 'node_modules');
  mkdirSync(join(modules, '@moe'), { recursive: true });
  const installed = join(repoRoot, 'node_modules');
  for (const entry of readdirSync(installed)) {
    if (entry === '@moe') continue;
    symlinkSync(join(installed, entry), join(modules, entry));
  }
  for (const [name, folder] of workspacePackages(building)) {
    if (!name.startsWith('@moe/')) continue;
    symlinkSync(folder.replace(building, dir), join(modules, name));
  }
  writeFileSync(join(building, '.ref-ready'), `${sha}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return { sha, dir };
}
