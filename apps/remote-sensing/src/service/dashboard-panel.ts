import * as tf from '@tensorflow/tfjs-core';
import { createRasterImage, encodePng, type RasterImage } from '@moe/vision';
import type { DashboardData } from '@moe/service';
import { SCENE_CLASS_NAMES } from '../data/scene-classes.js';
import { gatherTiles, type TileSet } from '../data/tile-set.js';
import type { SegmentationModel } from '../model/segmentation-model.js';
import { labelImage } from './label-image.js';

type Images = NonNullable<DashboardData['images']>;

async function dataUrl(img: RasterImage): Promise<string> {
  return `data:image/png;base64,${Buffer.from(await encodePng(img)).toString('base64')}`;
}

/**
 * The pictures of the dashboard panel for one sample target tile: input, ground truth, prediction side by
 * side, then the router's weight on the low- and high-frequency adapters per token for every block (white
 * = weight 1), when the served method has a router. Computed once per model swap, not per refresh.
 */
export async function panelImages(model: SegmentationModel, sample: TileSet, tile = 0): Promise<Images> {
  const s = sample.size;
  const one = gatherTiles(sample, [tile]);
  const { logits, routerMaps } = tf.tidy(() => {
    const f = model.applyWithRouterMaps(tf.tensor4d(one.images, [1, s, s, sample.channels]));
    return { logits: tf.argMax(f.logits, 3), routerMaps: f.routerMaps };
  });
  const predicted = await logits.data();
  logits.dispose();
  const width = 192;
  const images: Images = [
    { title: 'input tile (rgb-rural)', src: await dataUrl(createRasterImage(s, s, 3, one.images)), width },
    { title: 'ground truth', src: await dataUrl(labelImage(one.labels!, s, s)), width },
    { title: `prediction (${model.method.kind})`, src: await dataUrl(labelImage(predicted, s, s)), width },
  ];
  for (const [l, maps] of routerMaps.entries()) {
    if (!maps) continue;
    const [, g, , ] = maps.shape;
    const w = await maps.data();
    maps.dispose();
    for (const [band, idx] of [['low', 1], ['high', 2]] as const) {
      const plane = Float32Array.from({ length: g * g }, (_, i) => w[i * 3 + idx]);
      images.push({ title: `router weight on ${band}-frequency adapter, block ${l}`, src: await dataUrl(createRasterImage(g, g, 1, plane)), width: 96, caption: `mean ${(plane.reduce((a, b) => a + b, 0) / plane.length).toFixed(3)}` });
    }
  }
  return images;
}

export function iouBars(iou: number[], label: string): NonNullable<DashboardData['bars']>[number] {
  return { title: 'per-class IoU on the labelled target sample', labels: [...SCENE_CLASS_NAMES], series: [{ name: label, values: iou.map((v) => (Number.isFinite(v) ? v : null)) }], yMin: 0, yMax: 1, yLabel: 'IoU' };
}
