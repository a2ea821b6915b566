#!/usr/bin/env node
// Extracts the real photos, textures, video and satellite GeoTIFFs that Debian packages ship (reference
// vision.md §5, §8) into .data/real-images/ (gitignored), so tests, benchmarks and demos run on real pixels
// without fetching anything at run time. Each package is downloaded with `apt-get download` (no install, no
// root needed) and only the files listed below are taken out of it with `dpkg-deb --fsys-tarfile | tar -x`.
// Idempotent: when every file is present it returns at once. Writes manifest.json (source package, version,
// path inside the package, bytes, sha256) next to the files.
//
//   node scripts/extract-real-images.mjs            extract what is missing
//   node scripts/extract-real-images.mjs --check    exit 1 (and say what is missing) without downloading
//   MOE_REAL_IMAGES_DIR=/some/dir                   extract there instead (realImagePath() reads it too)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.env.MOE_REAL_IMAGES_DIR || join(root, '.data', 'real-images');
const log = (msg) => process.stderr.write(`[extract-real-images] ${msg}\n`);

const SKIMAGE = './usr/lib/python3/dist-packages/skimage/data';
const SKLEARN = './usr/lib/python3/dist-packages/sklearn/datasets/images';
const OPENCV = './usr/share/doc/opencv-doc/examples/data';
const STARS = './usr/lib/R/site-library/stars/tif';
const MATE = './usr/share/backgrounds/mate/nature';

/** name in .data/real-images → which Debian package ships it and where. Keep in sync with libs/vision's REAL_IMAGES. */
export const FILES = [
  { name: 'aero1.jpg', pkg: 'opencv-doc', path: `${OPENCV}/aero1.jpg` },
  { name: 'aero3.jpg', pkg: 'opencv-doc', path: `${OPENCV}/aero3.jpg` },
  { name: 'building.jpg', pkg: 'opencv-doc', path: `${OPENCV}/building.jpg` },
  { name: 'vtest.avi', pkg: 'opencv-doc', path: `${OPENCV}/vtest.avi` },
  { name: 'astronaut.png', pkg: 'python3-skimage', path: `${SKIMAGE}/astronaut.png` },
  { name: 'coffee.png', pkg: 'python3-skimage', path: `${SKIMAGE}/coffee.png` },
  { name: 'chelsea.png', pkg: 'python3-skimage', path: `${SKIMAGE}/chelsea.png` },
  { name: 'rocket.jpg', pkg: 'python3-skimage', path: `${SKIMAGE}/rocket.jpg` },
  { name: 'grass.png', pkg: 'python3-skimage', path: `${SKIMAGE}/grass.png` },
  { name: 'gravel.png', pkg: 'python3-skimage', path: `${SKIMAGE}/gravel.png` },
  { name: 'brick.png', pkg: 'python3-skimage', path: `${SKIMAGE}/brick.png` },
  { name: 'china.jpg', pkg: 'python3-sklearn', path: `${SKLEARN}/china.jpg` },
  { name: 'flower.jpg', pkg: 'python3-sklearn', path: `${SKLEARN}/flower.jpg` },
  { name: 'L7_ETMs.tif', pkg: 'r-cran-stars', path: `${STARS}/L7_ETMs.tif` },
  { name: 'olinda_dem_utm25s.tif', pkg: 'r-cran-stars', path: `${STARS}/olinda_dem_utm25s.tif` },
  // Real bad-weather photos without ground truth (before/after demos only); the .deb is 47 MB, two files are kept.
  { name: 'storm.jpg', pkg: 'mate-backgrounds', path: `${MATE}/Storm.jpg` },
  { name: 'raindrops.jpg', pkg: 'mate-backgrounds', path: `${MATE}/RainDrops.jpg` },
];

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function main() {
  const missing = FILES.filter((f) => !existsSync(join(outDir, f.name)));
  if (missing.length === 0) return 0;
  if (process.argv.includes('--check')) {
    log(`missing in ${outDir}: ${missing.map((f) => f.name).join(', ')}; run node scripts/extract-real-images.mjs`);
    return 1;
  }
  const tools = ['apt-get', 'dpkg-deb', 'tar'].filter((t) => !which(t));
  if (tools.length) {
    log(`cannot extract ${missing.length} real images: ${tools.join(', ')} not found (needs a Debian/Ubuntu machine).`);
    log(`copy the files by hand into ${outDir} (names: ${missing.map((f) => f.name).join(', ')}) or tests that use them fail naming the file.`);
    return 1;
  }
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'moe-real-images-'));
  const manifestPath = join(outDir, 'manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
  let failed = 0;
  let listsRefreshed = false;
  try {
    for (const pkg of [...new Set(missing.map((f) => f.pkg))]) {
      const wanted = missing.filter((f) => f.pkg === pkg);
      log(`apt-get download ${pkg} (for ${wanted.map((f) => f.name).join(', ')})…`);
      let dl = spawnSync('apt-get', ['download', '-qq', pkg], { cwd: work, encoding: 'utf8' });
      if (dl.status !== 0 && !listsRefreshed && process.getuid?.() === 0) {
        // A fresh container often has no package lists yet: refresh them once (as root) and retry.
        log('apt-get download failed; running apt-get update once and retrying…');
        spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
        listsRefreshed = true;
        dl = spawnSync('apt-get', ['download', '-qq', pkg], { cwd: work, encoding: 'utf8' });
      }
      const deb = readdirSync(work).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
      if (dl.status !== 0 || deb === undefined) {
        log(`apt-get download ${pkg} failed (exit ${dl.status}): ${(dl.stderr || '').trim().split('\n').slice(-2).join(' ')}`);
        log('the package lists may be missing (as root: apt-get update) or the machine is offline.');
        failed += wanted.length;
        continue;
      }
      const version = deb.slice(pkg.length + 1).replace(/_[^_]+\.deb$/, '');
      const unpack = join(work, `${pkg}-files`);
      mkdirSync(unpack, { recursive: true });
      // dpkg-deb streams the data tarball; tar keeps only the named members.
      const r = spawnSync('sh', ['-c', `deb="$0"; dir="$1"; shift; dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" "$@"`, join(work, deb), unpack, ...wanted.map((f) => f.path)], { encoding: 'utf8' });
      if (r.status !== 0) log(`extracting from ${deb} reported: ${(r.stderr || '').trim()}`);
      for (const f of wanted) {
        const src = join(unpack, f.path);
        if (!existsSync(src)) {
          log(`${f.path} is not in ${deb}`);
          failed++;
          continue;
        }
        const dst = join(outDir, f.name);
        renameSync(src, dst);
        manifest[f.name] = { package: pkg, version, path: f.path.slice(1), bytes: statSync(dst).size, sha256: sha256(dst) };
      }
      rmSync(join(work, deb), { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  }
  const got = missing.length - failed;
  log(`extracted ${got} of ${missing.length} missing files into ${outDir}`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
