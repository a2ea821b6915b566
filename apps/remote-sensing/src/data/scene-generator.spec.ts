import { createRng } from '@moe/runtime';
import { describe, expect, it } from 'vitest';
import { ConfusionMatrix } from '../eval/confusion.js';
import { classMixMasks } from '../train/class-mix.js';
import { generateTiles } from './generate-tiles.js';
import { NUM_SCENE_CLASSES } from './scene-classes.js';
import { gatherTiles, IGNORE_LABEL } from './tile-set.js';

describe('generated domains, tiles and metrics', () => {
  it('generates deterministic, labelled tiles whose domains differ in priors and band order', () => {
    const a = generateTiles('rgb-urban', 'train', 24, 64, 3);
    const again = generateTiles('rgb-urban', 'train', 24, 64, 3);
    expect(Array.from(again.images.subarray(0, 500))).toEqual(Array.from(a.images.subarray(0, 500)));
    const b = generateTiles('irrg-rural', 'train', 24, 64, 3);
    const val = generateTiles('irrg-rural', 'val', 24, 64, 3);
    expect(Array.from(val.labels!.subarray(0, 200))).not.toEqual(Array.from(b.labels!.subarray(0, 200)));
    const share = (labels: Uint8Array, k: number) => labels.filter((v) => v === k).length / labels.length;
    expect(share(a.labels!, 1)).toBeGreaterThan(2 * share(b.labels!, 1)); // buildings: urban ≫ rural
    for (const set of [a, b]) {
      expect(set.labels!.every((v) => v < NUM_SCENE_CLASSES)).toBe(true);
      expect(set.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    // IRRG puts NIR first: vegetation is bright in channel 0 there, dark in RGB's red.
    const meanOf = (set: typeof a, cls: number, ch: number) => {
      let s = 0;
      let n = 0;
      set.labels!.forEach((l, i) => {
        if (l === cls) {
          s += set.images[i * 3 + ch];
          n++;
        }
      });
      return s / n;
    };
    expect(meanOf(b, 4, 0)).toBeGreaterThan(meanOf(a, 4, 0) + 0.2);
    expect(() => generateTiles('mars', 'train', 1, 64, 1)).toThrow(/domain must be one of pretrain, rgb-urban, rgb-rural, irrg-rural; got "mars"/);
  });

  it('augments image and labels with the same flip/rotation', () => {
    const set = generateTiles('rgb-urban', 'train', 2, 64, 5);
    for (let t = 0; t < 8; t++) {
      const g = gatherTiles(set, [1], [t]);
      const back = gatherTiles({ ...set, count: 1, images: g.images, labels: g.labels }, [0], [0]);
      expect(back.labels!.length).toBe(64 * 64);
      // Class histograms are invariant under the dihedral group.
      const hist = (l: Uint8Array) => Array.from({ length: NUM_SCENE_CLASSES }, (_, k) => l.filter((v) => v === k).length);
      expect(hist(g.labels!)).toEqual(hist(set.labels!.subarray(64 * 64)));
    }
    const rot = gatherTiles(set, [0], [2]);
    expect(rot.labels![0]).toBe(set.labels![63 * 64]); // a quarter turn maps the bottom-left pixel to the top-left
  });

  it('confusion-matrix mIoU, ignore label, and ClassMix masks', () => {
    const cm = new ConfusionMatrix(3);
    cm.add([0, 0, 1, 1, 2, IGNORE_LABEL], [0, 1, 1, 1, 0, 2]);
    const s = cm.scores();
    expect(s.iou[0]).toBeCloseTo(1 / 3);
    expect(s.iou[1]).toBeCloseTo(2 / 3);
    expect(s.iou[2]).toBe(0);
    expect(s.miou).toBeCloseTo(1 / 3);
    expect(s.pixelAccuracy).toBeCloseTo(3 / 5);
    expect(() => cm.add([0], [5])).toThrow(/class ids must be in \[0, 3\)/);
    const labels = new Uint8Array([0, 0, 1, 1, 2, 2, 3, 3]);
    const mask = classMixMasks(labels, 1, 8, createRng(1));
    const picked = new Set(Array.from(labels).filter((_, i) => mask[i] === 1));
    expect(picked.size).toBe(2);
    labels.forEach((l, i) => expect(mask[i]).toBe(picked.has(l) ? 1 : 0));
  });
});
