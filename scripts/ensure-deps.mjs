#!/usr/bin/env node
// Installs what `npm start` / `npm test` need and are missing: npm packages first, then (for tests) the
// Debian packages behind the webgpu, database, stream and browser tests. Runs before both scripts, so a
// fresh clone on a machine with only Node.js and npm works with two commands. Idempotent and quick when
// everything is already there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const purpose = process.argv.includes('--for') ? process.argv[process.argv.indexOf('--for') + 1] : 'test';
const log = (msg) => process.stderr.write(`[ensure-deps] ${msg}\n`);

function npmPackagesInstalled() {
  const lock = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(lock)) return false;
  // Re-install when package.json files changed after the last install.
  const stamp = join(root, 'node_modules', '.moe-install-stamp');
  const wanted = workspaceManifestDigest();
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted;
}

function workspaceManifestDigest() {
  const out = execFileSync('git', ['ls-files', '-s', '--', 'package.json', 'package-lock.json', '*/package.json', '*/*/package.json'], { cwd: root, encoding: 'utf8' });
  return out;
}

if (!npmPackagesInstalled()) {
  // `npm install` rather than `npm ci`: it honours the lock file yet still works when a workspace was added
  // without refreshing the lock, which `npm ci` refuses.
  log('installing npm packages (npm install)…');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { log('npm install failed; see the output above.'); process.exit(r.status ?? 1); }
  writeFileSync(join(root, 'node_modules', '.moe-install-stamp'), workspaceManifestDigest());
}

// Real photos, textures, video and GeoTIFFs from Debian packages (libs/vision, the image apps): quick when
// present; when it cannot extract, the tests and routes that need a file say which and how to get it.
if (spawnSync(process.execPath, [join(root, 'scripts', 'extract-real-images.mjs')], { stdio: 'inherit' }).status !== 0) {
  log('some real images could not be extracted (see above); specs that need them will name the missing file.');
}

if (purpose !== 'test' && purpose !== 'bench') process.exit(0);

// OpenBLAS for @moe/native (the native CPU matmul path, loaded through koffi: no compiler or -dev package
// needed); without it everything runs on wasm and the wasm+native specs are left out.
const openblas = { pkg: 'libopenblas0-pthread', why: 'native CPU matmul path (@moe/native) and its wasm+native specs', present: () => debInstalled('libopenblas0-pthread') };
// `npm run bench` (prebench): the kernels bench runs PyTorch on the same machine as its peer.
const benchDebian = [openblas, { pkg: 'python3-torch', why: 'PyTorch peer of the kernels bench (tools/peer_moe_torch.py)', present: () => debInstalled('python3-torch') }];

// Debian packages used by tests: what each provides and how to tell that it is there.
const debian = purpose === 'bench' ? benchDebian : [
  openblas,
  { pkg: 'redis-server', why: 'Redis Streams worker tests', present: () => which('redis-server') },
  { pkg: 'ffmpeg', why: 'anomaly real-video test (decodes vtest.avi frames)', present: () => which('ffmpeg') },
  { pkg: 'postgresql', why: 'PostgreSQL database tests', present: () => existsSync('/usr/lib/postgresql') && findPgBin('initdb') !== null },
  { pkg: 'chromium', why: 'dashboard browser test', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'mesa-vulkan-drivers', backports: true, why: 'webgpu kernel tests on Mesa lavapipe', present: () => lavapipeIcd() !== null },
];
const missing = debian.filter((d) => !d.present());
if (missing.length === 0) process.exit(0);

const names = missing.map((d) => d.pkg + (d.backports ? ' (from bookworm-backports)' : '')).join(', ');
const isRoot = process.getuid?.() === 0;
if (!isRoot || !which('apt-get')) {
  log(`missing Debian packages: ${names}.`);
  const plainNames = missing.filter((d) => !d.backports).map((d) => d.pkg).join(' ');
  const bpNames = missing.filter((d) => d.backports).map((d) => d.pkg).join(' ');
  log(`Install them (as root: ${[plainNames && `apt-get install ${plainNames}`, bpNames && `apt-get install -t bookworm-backports ${bpNames}`].filter(Boolean).join('; ')})`);
  log(purpose === 'bench' ? 'or the kernels bench reports the PyTorch peer (and the native row) as absent.' : 'or the tests that need them will be reported as failures naming what is missing.');
  process.exit(0);
}
log(`installing Debian packages: ${names}…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
if (missing.some((d) => d.backports)) {
  const list = '/etc/apt/sources.list.d/moe-bookworm-backports.list';
  if (!existsSync(list)) {
    mkdirSync(dirname(list), { recursive: true });
    writeFileSync(list, 'deb http://deb.debian.org/debian bookworm-backports main\n');
  }
}
run('apt-get', ['update', '-qq']);
const plain = missing.filter((d) => !d.backports).map((d) => d.pkg);
if (plain.length) run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...plain]);
const bp = missing.filter((d) => d.backports).map((d) => d.pkg);
if (bp.length) run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '-t', 'bookworm-backports', ...bp, 'libvulkan1']);
const still = missing.filter((d) => !d.present());
if (still.length) { log(`still missing after apt-get: ${still.map((d) => d.pkg).join(', ')}`); process.exit(1); }

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) { log(`${cmd} ${args.join(' ')} failed (exit ${r.status})`); process.exit(1); }
}
function debInstalled(pkg) { return spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false; }
function which(cmd) { return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0; }
function findPgBin(name) {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const v of execFileSync('ls', [base], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    const p = join(base, v, 'bin', name);
    if (existsSync(p)) return p;
  }
  return null;
}
function lavapipeIcd() {
  for (const p of ['/usr/share/vulkan/icd.d/lvp_icd.json', '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json', '/usr/share/vulkan/icd.d/lvp_icd.aarch64.json']) if (existsSync(p)) {
    // bookworm's own mesa (22.x) is too old for Dawn; backports ships 24+.
    const v = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'mesa-vulkan-drivers'], { encoding: 'utf8' }).stdout;
    if (/^(2[4-9]|[3-9]\d)\./.test(v)) return p;
  }
  return null;
}
