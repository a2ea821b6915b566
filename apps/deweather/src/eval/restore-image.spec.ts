import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks, useBackend } from '@moe/testing';
import { DeweatherNet } from '../model/deweather-net.js';
import { proceduralScene } from '../data/procedural-scene.js';
import { restoreImage } from './restore-image.js';

describe('restoreImage (tiled inference)', () => {
  beforeAll(() => useBackend('wasm'));

  it('returns exactly the input size for images smaller than, equal to and larger than a tile, without leaks', async () => {
    const net = new DeweatherNet({ dim: 16, heads: 2, channels: 4, experts: 4, seed: 1 });
    for (const [w, h] of [[13, 9], [16, 16], [37, 22]] as const) {
      const img = proceduralScene(w, h, 3);
      const r = await expectNoLeaks(() => restoreImage(net, img, { tile: 16, overlap: 4 }));
      expect([r.image.width, r.image.height]).toEqual([w, h]);
      expect(r.image.data.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(r.expertCounts).toHaveLength(2);
    }
    await expect(restoreImage(net, proceduralScene(16, 16, 1), { tile: 10 })).rejects.toThrow(/multiple of the patch size 4/);
    net.dispose();
  });
});
