// Helpers of the packed-tarball consumer test (pack-consumer.spec.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The first fenced ```js / ```ts block of a Markdown document, verbatim: the README's first example is run
 * as it is written, so the test fails when the documented code breaks.
 */
export function firstCodeBlock(markdown: string): string {
  const m = /^```(?:js|javascript|ts|typescript|mjs)[^\n]*\n([\s\S]*?)^```/m.exec(markdown);
  if (!m) throw new Error('firstCodeBlock: the document has no ```js or ```ts code block');
  return m[1];
}

/**
 * The environment for npm and node in the consumer project: without the variables `npm test` / `npm run`
 * set for this workspace (prefix, workspace selection, lifecycle, package fields), which would otherwise
 * point npm back at the repository.
 */
export function npmEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    const key = k.toLowerCase();
    if (key.startsWith('npm_package_') || key.startsWith('npm_lifecycle_') || key === 'init_cwd') continue;
    if (['npm_config_prefix', 'npm_config_local_prefix', 'npm_config_workspace', 'npm_config_workspaces', 'npm_config_include_workspace_root', 'npm_config_global_prefix'].includes(key)) continue;
    // Node options such as --conditions=@moe/source or --import tsx must not leak into the plain-node run.
    if (key === 'node_options') continue;
    out[k] = v;
  }
  return out;
}

/**
 * `roots` and every workspace package they depend on, transitively (dependencies, optional and peer
 * dependencies), as library directory name under libs/ → package name.
 */
export function workspaceClosure(root: string, roots: string[]): Record<string, string> {
  const dirs = new Map<string, string>();
  for (const e of readdirSync(join(root, 'libs'), { withFileTypes: true })) {
    const manifest = join(root, 'libs', e.name, 'package.json');
    if (e.isDirectory() && existsSync(manifest)) dirs.set((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name, e.name);
  }
  const out: Record<string, string> = {};
  const visit = (name: string): void => {
    const dir = dirs.get(name);
    if (!dir) throw new Error(`workspaceClosure: ${name} is not a package under libs/ (known: ${[...dirs.keys()].join(', ')})`);
    if (out[dir]) return;
    out[dir] = name;
    const pkg = JSON.parse(readFileSync(join(root, 'libs', dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) for (const dep of Object.keys(pkg[field] ?? {})) if (dirs.has(dep)) visit(dep);
  };
  roots.forEach(visit);
  return out;
}

/** Names of the packages under libs/ that are not private, i.e. meant to be installed by other teams. */
export function publishablePackages(root: string): string[] {
  return readdirSync(join(root, 'libs'), { withFileTypes: true })
    .map((e) => join(root, 'libs', e.name, 'package.json'))
    .filter((manifest) => existsSync(manifest))
    .map((manifest) => JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; private?: boolean })
    .filter((pkg) => pkg.private !== true)
    .map((pkg) => pkg.name)
    .sort();
}
