import { readImage, realImagePath, toChannels } from '@moe/vision';
import type { SceneTextures } from './scene-generator.js';

/**
 * skimage's grass, gravel and brick textures (real photos, extracted from Debian's python3-skimage by
 * scripts/extract-real-images.mjs), as grey squares for the scene generator. Missing files give procedural
 * textures only, and `missing` says which.
 */
export async function loadSceneTextures(): Promise<{ textures: SceneTextures; missing: string[] }> {
  const textures: SceneTextures = {};
  const missing: string[] = [];
  for (const name of ['grass', 'gravel', 'brick'] as const) {
    try {
      const img = toChannels(await readImage(realImagePath(`${name}.png`)), 1);
      const size = Math.min(img.width, img.height);
      const data = new Float32Array(size * size);
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[y * size + x] = img.data[y * img.width + x];
      textures[name] = { size, data };
    } catch {
      missing.push(`${name}.png`);
    }
  }
  return { textures, missing };
}
