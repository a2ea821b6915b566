// Another team's view of the suite: build the libraries, `npm pack` the packages they install, install the
// tarballs into a fresh project outside this repository (so nothing resolves to the workspace or through
// the `@moe/source` condition) and run the core and vision READMEs' first examples there, unchanged, on plain
// `node`.
// A TypeScript consumer is type-checked against the packed `.d.ts` as well.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstCodeBlock, npmEnvironment, publishablePackages, workspaceClosure } from './support/pack-consumer.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The packages other teams install: at least these, and every library that is not private. */
const REQUIRED = ['@moe/core', '@moe/kernels', '@moe/runtime', '@moe/stream', '@moe/vision'];
/**
 * Those packages with every @moe/* package they depend on (library directory → package name): a dependency
 * that is not packed too would be looked up in the public registry and not be found.
 */
const PACKAGES = workspaceClosure(root, [...new Set([...REQUIRED, ...publishablePackages(root)])]);
const LIBS = Object.keys(PACKAGES);
const TF_CORE = '@tensorflow/tfjs-core';

interface Manifest {
  version: string;
  private?: boolean;
  exports: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function manifestOf(lib: string): Manifest {
  return JSON.parse(readFileSync(join(root, 'libs', lib, 'package.json'), 'utf8')) as Manifest;
}

/** One entry of `npm pack --json`. */
interface PackResult {
  name: string;
  filename: string;
  files: { path: string }[];
}

/**
 * sharp's prebuilt binaries for this platform (`@img/sharp-<os>-<arch>` and its libvips), at the versions the
 * workspace install chose. They are optional dependencies of sharp, which `--omit=optional` below would leave
 * out; a consumer's plain `npm install` gets them by itself.
 */
function sharpBinaries(): Record<string, string> {
  const dir = join(root, 'node_modules', '@img');
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('sharp-')) : [];
  if (names.length === 0) throw new Error(`no sharp binary under ${dir}: run npm install in the workspace first`);
  return Object.fromEntries(names.map((n) => [`@img/${n}`, (JSON.parse(readFileSync(join(dir, n, 'package.json'), 'utf8')) as { version: string }).version]));
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: npmEnvironment(process.env), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) could not run: ${r.error.message}`);
  return r;
}

function runOk(cmd: string, args: string[], cwd: string, timeoutMs: number): string {
  const r = run(cmd, args, cwd, timeoutMs);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('packed tarballs in a fresh project outside the workspace', () => {
  let work = '';
  let app = '';
  let packed: PackResult[] = [];

  beforeAll(() => {
    // Incremental `tsc -b` of just these libraries (a no-op after `npm test`'s typecheck stage).
    runOk(process.execPath, [join(root, 'scripts', 'build.mjs'), ...LIBS], root, 180_000);
    work = realpathSync(mkdtempSync(join(tmpdir(), 'moe-pack-consumer-')));
    const packs = join(work, 'packs');
    app = join(work, 'app');
    mkdirSync(packs);
    mkdirSync(app);
    packed = JSON.parse(runOk('npm', ['pack', ...LIBS.map((l) => `./libs/${l}`), '--pack-destination', packs, '--json'], root, 120_000)) as PackResult[];
    const dependencies: Record<string, string> = Object.fromEntries(packed.map((p) => [p.name, `file:../packs/${p.filename}`]));
    // The consumer installs tfjs-core itself (a peer dependency) at the version the packages ask for.
    const tfRange = manifestOf('core').peerDependencies?.[TF_CORE];
    if (!tfRange) throw new Error(`@moe/core must declare ${TF_CORE} as a peer dependency`);
    dependencies[TF_CORE] = tfRange;
    dependencies['@types/node'] = '^20.19.0';
    Object.assign(dependencies, sharpBinaries());
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'moe-pack-consumer', version: '0.0.0', private: true, type: 'module', dependencies }, null, 2));
    // --omit=optional: @moe/runtime's optional tfjs-node bindings download libtensorflow at install time.
    runOk('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', '--loglevel=error'], app, 180_000);
  }, 420_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs only what a user needs: dist JS + .d.ts and the README, no specs, sources or build state', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(Object.values(PACKAGES).sort());
    for (const { name, files } of packed) {
      const lib = LIBS.find((l) => PACKAGES[l] === name) as string;
      const listing = files.map((f) => f.path);
      expect(listing, lib).toContain('dist/index.js');
      expect(listing, lib).toContain('dist/index.d.ts');
      expect(listing, lib).toContain('package.json');
      if (existsSync(join(root, 'libs', lib, 'README.md'))) expect(listing, lib).toContain('README.md');
      expect(listing.filter((f) => /\.spec\.|\.map$|tsbuildinfo|^src\//.test(f)), lib).toEqual([]);
      // Publishable manifest: not private, typed exports, and @moe/* dependencies at their real versions.
      const manifest = manifestOf(lib);
      expect(manifest.private, lib).toBeUndefined();
      expect(manifest.exports['.'], lib).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js' });
      for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies })) {
        if (dep.startsWith('@moe/')) expect(range, `${lib} → ${dep}`).toBe(manifestOf(LIBS.find((l) => PACKAGES[l] === dep) as string).version);
        else expect(range, `${lib} → ${dep}`).not.toBe('*');
      }
    }
  });

  it('resolves every package inside the fresh project, not in the workspace', () => {
    const script = `for (const p of ${JSON.stringify([...Object.values(PACKAGES), TF_CORE])}) { await import(p); console.log(import.meta.resolve(p)); }`;
    const resolved = runOk(process.execPath, ['--input-type=module', '-e', script], app, 110_000).trim().split('\n');
    expect(resolved).toHaveLength(Object.values(PACKAGES).length + 1);
    for (const url of resolved) expect(url.startsWith(pathToFileURL(join(app, 'node_modules')).href), url).toBe(true);
  }, 120_000);

  it("runs the core README's first example unchanged on plain node: the loss falls, routing stays spread", () => {
    const example = firstCodeBlock(readFileSync(join(root, 'libs', 'core', 'README.md'), 'utf8'));
    writeFileSync(join(app, 'example.mjs'), example);
    const env = { ...process.env };
    delete env.MOE_BACKEND; // the example's own backend choice (auto)
    const r = spawnSync(process.execPath, ['example.mjs'], { cwd: app, env: npmEnvironment(env), encoding: 'utf8', timeout: 170_000 });
    expect(r.status, `node example.mjs exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`).toBe(0);
    const losses = [...r.stdout.matchAll(/^step (\d+): loss ([\d.]+)/gm)].map((m) => ({ step: Number(m[1]), loss: Number(m[2]) }));
    expect(losses.map((l) => l.step)).toEqual([0, 20, 40, 59]);
    expect(losses[3].loss).toBeLessThan(losses[0].loss * 0.5);
    const active = /activeExperts: (\d+)/.exec(r.stdout);
    expect(active, r.stdout).not.toBeNull();
    expect(Number(active?.[1])).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it("runs the vision README's first example unchanged on plain node: PNG round trip, JPEG scored, tiles stitch back exactly", () => {
    writeFileSync(join(app, 'vision-example.mjs'), firstCodeBlock(readFileSync(join(root, 'libs', 'vision', 'README.md'), 'utf8')));
    const r = spawnSync(process.execPath, ['vision-example.mjs'], { cwd: app, env: npmEnvironment(process.env), encoding: 'utf8', timeout: 110_000 });
    expect(r.status, `node vision-example.mjs exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`).toBe(0);
    const number = (re: RegExp): number => Number(re.exec(r.stdout)?.[1] ?? Number.NaN);
    expect(r.stdout).toMatch(/^png: \d+ bytes, 128×128×3,/m);
    expect(number(/^png: .*psnr ([\d.]+) dB/m)).toBeGreaterThan(90); // 16-bit quantisation only
    const jpegPsnr = number(/^jpeg q30: psnr ([\d.]+) dB/m);
    expect(jpegPsnr).toBeGreaterThan(20);
    expect(jpegPsnr).toBeLessThan(45);
    expect(number(/ssim ([\d.]+)$/m)).toBeLessThan(1);
    expect(r.stdout).toMatch(/^tiles: 16, stitched psnr Infinity$/m);
    const mIoU = number(/mIoU ([\d.]+)$/m);
    expect(mIoU).toBeGreaterThan(0);
    expect(mIoU).toBeLessThan(0.5);
  }, 120_000);

  it('type-checks a TypeScript consumer against the packed .d.ts (strict, nodenext)', () => {
    writeFileSync(join(app, 'consumer.ts'), TYPESCRIPT_CONSUMER);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: ['node'], skipLibCheck: true },
      files: ['consumer.ts'],
    }));
    const r = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app, 170_000);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 180_000);
});

// Each `@ts-expect-error` fails the check when the types behind it degrade to `any` (an unresolved import).
const TYPESCRIPT_CONSUMER = `import * as tf from '@tensorflow/tfjs-core';
import { FfnExperts, MoeLayer, TopKRouter, moduleFromConfig, moduleSpec, isMoeError, type MoeForward } from '@moe/core';
import { selectBackend, type BackendSelection } from '@moe/runtime';
import { Adwin } from '@moe/stream';
import { tileImage, createRasterImage, type Tile } from '@moe/vision';

export const selection: Promise<BackendSelection> = selectBackend();
const layer = new MoeLayer(new TopKRouter({ inputDim: 8, numExperts: 4, k: 2 }), new FfnExperts({ numExperts: 4, inputDim: 8, hiddenDim: 16 }));
export const forward: MoeForward = layer.apply(tf.zeros([2, 8]) as tf.Tensor2D, { training: false });
export const copy = moduleFromConfig(moduleSpec(layer));
export function describeError(e: unknown): string { return isMoeError(e) ? e.code : 'other'; }
// @ts-expect-error a misspelt router option is a type error
new TopKRouter({ inputDim: 8, numExperts: 4, kk: 2 });
// @ts-expect-error selectBackend's request is a backend name
selectBackend({ request: 42 });
// @ts-expect-error Adwin's delta is a number
new Adwin({ delta: 'small' });
export const detector = new Adwin({ delta: 0.002 });
export const tiles: Tile[] = tileImage(createRasterImage(64, 64, 3), { tileSize: 32, overlap: 8 });
// @ts-expect-error tileImage's tileSize is a number
tileImage(createRasterImage(64, 64, 3), { tileSize: '32' });
`;
