import { checkInt } from '../args/check-args.js';
import { decodeImage } from '../image/decode-image.js';
import { encodeJpeg } from '../image/encode-image.js';
import { checkRasterImage, selectChannels, type RasterImage } from '../image/raster-image.js';

/**
 * Real JPEG compression artefacts (8×8 DCT blocking, chroma subsampling, ringing): encode with libjpeg at
 * `quality` and decode back. Grey and RGB go through as they are; other band counts are compressed in groups
 * of three bands (and a last group of one or two as grey planes), as a multispectral sensor's bands would be.
 */
export async function jpegArtefacts(img: RasterImage, quality: number): Promise<RasterImage> {
  const fn = 'jpegArtefacts';
  checkRasterImage(fn, 'img', img);
  checkInt(fn, 'quality', quality, 1, 100);
  if (img.channels === 1 || img.channels === 3) return decodeImage(await encodeJpeg(img, { quality }), { channels: img.channels });
  const out = new Float32Array(img.data.length);
  const c = img.channels;
  for (let start = 0; start < c; ) {
    const group = c - start >= 3 ? 3 : 1;
    const bands = Array.from({ length: group }, (_, i) => start + i);
    const back = await decodeImage(await encodeJpeg(selectChannels(img, bands), { quality }), { channels: group as 1 | 3 });
    for (let p = 0; p < img.width * img.height; p++) for (let j = 0; j < group; j++) out[p * c + start + j] = back.data[p * group + j];
    start += group;
  }
  return { width: img.width, height: img.height, channels: c, data: out };
}
