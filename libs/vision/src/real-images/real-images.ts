import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argError, checkOneOf } from '../args/check-args.js';

/** What a real file is good for. */
export type RealImageKind = 'aerial' | 'photo' | 'texture' | 'video' | 'satellite' | 'elevation' | 'weather-photo';

/** Every kind, for argument checks. */
const KINDS: readonly RealImageKind[] = ['aerial', 'photo', 'texture', 'video', 'satellite', 'elevation', 'weather-photo'];

export interface RealImageInfo {
  readonly name: string;
  /** The Debian package that ships it (scripts/extract-real-images.mjs takes it from there). */
  readonly package: 'opencv-doc' | 'python3-skimage' | 'python3-sklearn' | 'r-cran-stars' | 'mate-backgrounds';
  readonly kind: RealImageKind;
  readonly description: string;
}

/** The real images, videos and rasters the suite uses (reference vision.md §5, §8). */
export const REAL_IMAGES: readonly RealImageInfo[] = [
  { name: 'aero1.jpg', package: 'opencv-doc', kind: 'aerial', description: '640×480 oblique aerial photo of a town: buildings, roads, forest, water, coast' },
  { name: 'aero3.jpg', package: 'opencv-doc', kind: 'aerial', description: '640×480 oblique aerial photo of the same town' },
  { name: 'building.jpg', package: 'opencv-doc', kind: 'photo', description: '868×600 photo of a building' },
  { name: 'vtest.avi', package: 'opencv-doc', kind: 'video', description: '795 frames 768×576 at 10 fps, static camera over a pedestrian street' },
  { name: 'astronaut.png', package: 'python3-skimage', kind: 'photo', description: '512×512 RGB portrait' },
  { name: 'coffee.png', package: 'python3-skimage', kind: 'photo', description: '600×400 RGB photo of a coffee cup' },
  { name: 'chelsea.png', package: 'python3-skimage', kind: 'photo', description: '451×300 RGB photo of a cat' },
  { name: 'rocket.jpg', package: 'python3-skimage', kind: 'photo', description: '640×427 RGB outdoor photo of a rocket launch' },
  { name: 'grass.png', package: 'python3-skimage', kind: 'texture', description: '512×512 grey grass texture' },
  { name: 'gravel.png', package: 'python3-skimage', kind: 'texture', description: '512×512 grey gravel texture' },
  { name: 'brick.png', package: 'python3-skimage', kind: 'texture', description: '512×512 grey brick wall texture' },
  { name: 'china.jpg', package: 'python3-sklearn', kind: 'photo', description: '640×427 RGB outdoor photo (a temple)' },
  { name: 'flower.jpg', package: 'python3-sklearn', kind: 'photo', description: '640×427 RGB photo of a flower' },
  { name: 'L7_ETMs.tif', package: 'r-cran-stars', kind: 'satellite', description: 'Landsat 7 ETM+ GeoTIFF, 6 uint8 bands (1-5, 7), 349×352 at 28.5 m, UTM 25S (Olinda, Brazil)' },
  { name: 'olinda_dem_utm25s.tif', package: 'r-cran-stars', kind: 'elevation', description: '111×111 float32 DEM GeoTIFF of the same area (90 m)' },
  // Real weather, no clean counterpart: for before/after pictures, never for PSNR/SSIM.
  {
    name: 'storm.jpg',
    package: 'mate-backgrounds',
    kind: 'weather-photo',
    description: '1920×1280 photo (2008, from a moving car) under a thunderstorm: dark low clouds, a dim low-contrast veil over the horizon, motion-blurred road; no rain streaks visible',
  },
  {
    name: 'raindrops.jpg',
    package: 'mate-backgrounds',
    kind: 'weather-photo',
    description: '1920×1200 close-up of rain drops on green leaves: the drops sit on the subject (scene content), not on the lens',
  },
];

export type RealImageName = (typeof REAL_IMAGES)[number]['name'];

function repoRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ('workspaces' in (JSON.parse(readFileSync(pkg, 'utf8')) as object)) return dir;
      } catch {
        // not a JSON manifest: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Where the extracted files live: $MOE_REAL_IMAGES_DIR, else `<repository>/.data/real-images`. */
export function realImagesDir(): string {
  const env = process.env.MOE_REAL_IMAGES_DIR;
  if (env) return resolve(env);
  const root = repoRoot();
  return join(root ?? process.cwd(), '.data', 'real-images');
}

/**
 * The path of an extracted real file; throws naming the file and the command that extracts it when it is
 * not there.
 *
 * @example
 * const aerial = await readImage(realImagePath('aero1.jpg'));
 */
export function realImagePath(name: RealImageName | string): string {
  const info = REAL_IMAGES.find((r) => r.name === name);
  if (info === undefined) throw argError('realImagePath', 'name', `one of ${REAL_IMAGES.map((r) => r.name).join(', ')}`, name);
  const path = join(realImagesDir(), info.name);
  if (!existsSync(path)) {
    throw new Error(`real image '${info.name}' (from Debian package ${info.package}) is not in ${realImagesDir()}: run node scripts/extract-real-images.mjs`);
  }
  return path;
}

/** Every known real file with its path and whether it has been extracted. */
export function listRealImages(kind?: RealImageKind): (RealImageInfo & { readonly path: string; readonly present: boolean })[] {
  if (kind !== undefined) checkOneOf('listRealImages', 'kind', kind, KINDS);
  const dir = realImagesDir();
  return REAL_IMAGES.filter((r) => kind === undefined || r.kind === kind).map((r) => {
    const path = join(dir, r.name);
    return { ...r, path, present: existsSync(path) };
  });
}
