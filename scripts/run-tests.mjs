#!/usr/bin/env node
// `npm test`: typecheck (tsc -b over the project references), lint (module boundaries included), then
// vitest. Stops at the first failing stage so the error that matters is the last thing printed.
import { spawnSync } from 'node:child_process';

const stages = [
  ['typecheck', 'npx', ['tsc', '-b', 'tsconfig.json']],
  // The module-boundary rule reads Nx's project graph; compute it first (no daemon in CI).
  ['project graph', 'npx', ['nx', 'show', 'projects']],
  ['lint', 'npx', ['eslint', '--max-warnings=0', 'libs', 'apps', 'tools', 'test']],
  ['vitest', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];
for (const [name, cmd, args] of stages) {
  const started = Date.now();
  process.stderr.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  process.stderr.write(`== ${name}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
