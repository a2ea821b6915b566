import * as tf from '@tensorflow/tfjs-core';
import { createRng, childSeed, type Rng } from '@moe/runtime';
import { createRasterImage, cropImage, synthesizeWeather, type RasterImage, type WeatherType } from '@moe/vision';
import type { CleanImage } from './clean-images.js';

/** One degraded/clean pair; the weather type is a label for evaluation only, never a model input. */
export interface WeatherPair {
  clean: RasterImage;
  degraded: RasterImage;
  type: WeatherType;
  /** Source image name and crop index, for reports. */
  source: string;
}

/** Non-overlapping crop×crop windows of an image in raster order (at most `max`). */
export function gridCrops(img: RasterImage, crop: number, max: number): RasterImage[] {
  const out: RasterImage[] = [];
  for (let y = 0; y + crop <= img.height && out.length < max; y += crop) for (let x = 0; x + crop <= img.width && out.length < max; x += crop) out.push(cropImage(img, x, y, crop, crop));
  return out;
}

/**
 * Fixed evaluation pairs: for each image, up to `cropsPerImage` grid crops, each degraded with every type in
 * `types` (synthesis seed derived from the image name, crop and type, so the set is identical on every run).
 */
export function makeEvalPairs(images: readonly CleanImage[], options: { crop: number; cropsPerImage: number; types: readonly WeatherType[]; seed?: number }): WeatherPair[] {
  const pairs: WeatherPair[] = [];
  for (const img of images) {
    gridCrops(img.image, options.crop, options.cropsPerImage).forEach((clean, ci) => {
      for (const type of options.types) {
        const seed = childSeed(options.seed ?? 0, `${img.name}/${ci}/${type}`);
        pairs.push({ clean, degraded: synthesizeWeather(clean, type, seed).degraded, type, source: `${img.name}#${ci}` });
      }
    });
  }
  return pairs;
}

/** Fresh training pairs: random image, random crop (with a horizontal flip half the time), random type, fresh weather. */
export class TrainPairSampler {
  private readonly rng: Rng;
  constructor(private readonly images: readonly CleanImage[], private readonly crop: number, private readonly types: readonly WeatherType[], seed: number) {
    if (images.length === 0) throw new Error('TrainPairSampler: images must not be empty');
    if (types.length === 0) throw new Error('TrainPairSampler: types must not be empty');
    for (const i of images) if (i.image.width < crop || i.image.height < crop) throw new Error(`TrainPairSampler: image ${i.name} (${i.image.width}×${i.image.height}) is smaller than the crop ${crop}`);
    this.rng = createRng(seed);
  }

  next(): WeatherPair {
    const img = this.images[this.rng.nextInt(this.images.length)];
    const { width, height } = img.image;
    let clean = cropImage(img.image, this.rng.nextInt(width - this.crop + 1), this.rng.nextInt(height - this.crop + 1), this.crop, this.crop);
    if (this.rng.next() < 0.5) clean = flipHorizontal(clean);
    const type = this.types[this.rng.nextInt(this.types.length)];
    return { clean, degraded: synthesizeWeather(clean, type, this.rng.nextUint32() >>> 1).degraded, type, source: img.name };
  }

  batch(n: number): WeatherPair[] {
    return Array.from({ length: n }, () => this.next());
  }
}

function flipHorizontal(img: RasterImage): RasterImage {
  const { width, height, channels: c } = img;
  const out = new Float32Array(img.data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let ch = 0; ch < c; ch++) out[(y * width + x) * c + ch] = img.data[(y * width + (width - 1 - x)) * c + ch];
  return createRasterImage(width, height, c, out);
}

/** Stacks same-size RGB images into [B, H, W, 3]. */
export function toBatchTensor(images: readonly RasterImage[]): tf.Tensor4D {
  const { width, height } = images[0];
  const data = new Float32Array(images.length * width * height * 3);
  images.forEach((im, i) => {
    if (im.width !== width || im.height !== height || im.channels !== 3) throw new Error(`toBatchTensor: image ${i} is ${im.width}×${im.height}×${im.channels}, expected ${width}×${height}×3`);
    data.set(im.data, i * width * height * 3);
  });
  return tf.tensor4d(data, [images.length, height, width, 3]);
}
