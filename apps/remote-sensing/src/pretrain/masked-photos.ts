import { listRealImages, readImage, toChannels, type RasterImage } from '@moe/vision';
import type { Rng } from '@moe/runtime';

/** The real RGB photos pretraining reads (aerial views first), as shipped by Debian packages (vision.md §5). */
export async function loadPretrainPhotos(): Promise<{ photos: RasterImage[]; names: string[] }> {
  const infos = [...listRealImages('aerial'), ...listRealImages('photo')];
  const photos: RasterImage[] = [];
  const names: string[] = [];
  for (const info of infos) {
    try {
      photos.push(toChannels(await readImage(info.path), 3));
      names.push(info.name);
    } catch {
      // a photo that is not there (extraction skipped) is simply not used; the names list says what was
    }
  }
  return { photos, names };
}

/**
 * A batch of random s×s crops of the photos with a random half of the p×p patches replaced by the pixel
 * mean (SimMIM-style masking without a mask token): `input` is what the backbone sees, `target` the
 * original crops and `mask` 1 on masked pixels (the reconstruction loss counts only those).
 */
export function maskedPhotoBatch(photos: RasterImage[], batch: number, s: number, p: number, mean: number[], rng: Rng): { input: Float32Array; target: Float32Array; mask: Float32Array } {
  const input = new Float32Array(batch * s * s * 3);
  const target = new Float32Array(batch * s * s * 3);
  const mask = new Float32Array(batch * s * s);
  for (let b = 0; b < batch; b++) {
    const img = photos[rng.nextInt(photos.length)];
    const ox = rng.nextInt(img.width - s + 1);
    const oy = rng.nextInt(img.height - s + 1);
    const g = s / p;
    const masked = Array.from({ length: g * g }, () => rng.next() < 0.5);
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        const m = masked[Math.floor(y / p) * g + Math.floor(x / p)];
        const dst = b * s * s + y * s + x;
        mask[dst] = m ? 1 : 0;
        for (let c = 0; c < 3; c++) {
          const v = img.data[((oy + y) * img.width + ox + x) * 3 + c];
          target[dst * 3 + c] = v;
          input[dst * 3 + c] = m ? mean[c] : v;
        }
      }
    }
  }
  return { input, target, mask };
}
