import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listRealImages, REAL_IMAGES, realImagePath, realImagesDir } from './real-images.js';

const saved = process.env.MOE_REAL_IMAGES_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.MOE_REAL_IMAGES_DIR;
  else process.env.MOE_REAL_IMAGES_DIR = saved;
});

describe('real images', () => {
  it('every listed file has been extracted (scripts/extract-real-images.mjs, run by ensure-deps)', () => {
    const missing = listRealImages().filter((r) => !r.present).map((r) => r.name);
    expect(missing, `missing in ${realImagesDir()}: run node scripts/extract-real-images.mjs`).toEqual([]);
    expect(listRealImages('texture').map((r) => r.name)).toEqual(['grass.png', 'gravel.png', 'brick.png']);
    expect(listRealImages('weather-photo').map((r) => r.name)).toEqual(['storm.jpg', 'raindrops.jpg']);
    expect(() => listRealImages('rain' as 'photo')).toThrow(/listRealImages\(\): kind must be one of .*"weather-photo"; got "rain"/);
  });

  it('the script and the library list the same files', async () => {
    const script = (await import(join(process.cwd(), 'scripts', 'extract-real-images.mjs'))) as { FILES: { name: string; pkg: string }[] };
    expect(script.FILES.map((f) => [f.name, f.pkg])).toEqual(REAL_IMAGES.map((r) => [r.name, r.package]));
  });

  it('says which file is missing and how to get it, and refuses unknown names', () => {
    expect(existsSync(realImagePath('vtest.avi'))).toBe(true);
    const empty = mkdtempSync(join(tmpdir(), 'moe-no-images-'));
    try {
      process.env.MOE_REAL_IMAGES_DIR = empty;
      expect(() => realImagePath('aero1.jpg')).toThrow(/real image 'aero1.jpg' \(from Debian package opencv-doc\) is not in .*: run node scripts\/extract-real-images.mjs/);
      // --check reports without downloading.
      expect(() => execFileSync(process.execPath, ['scripts/extract-real-images.mjs', '--check'], { env: { ...process.env }, stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(() => realImagePath('lena.png')).toThrow(/realImagePath\(\): name must be one of aero1.jpg/);
  });
});
