import { argError, checkInt } from '../args/check-args.js';
import { checkRasterImage, createRasterImage, type RasterImage } from '../image/raster-image.js';

/** The width × height window of `img` whose top-left corner is (x, y); it must lie inside the image. */
export function cropImage(img: RasterImage, x: number, y: number, width: number, height: number): RasterImage {
  const fn = 'cropImage';
  checkRasterImage(fn, 'img', img);
  checkInt(fn, 'x', x, 0);
  checkInt(fn, 'y', y, 0);
  checkInt(fn, 'width', width, 1);
  checkInt(fn, 'height', height, 1);
  if (x + width > img.width || y + height > img.height) {
    throw argError(fn, 'the window (x, y, width, height)', `inside the ${img.width}×${img.height} img`, `${width}×${height} at (${x}, ${y}), reaching (${x + width}, ${y + height})`);
  }
  const c = img.channels;
  const out = new Float32Array(width * height * c);
  for (let r = 0; r < height; r++) out.set(img.data.subarray(((y + r) * img.width + x) * c, ((y + r) * img.width + x + width) * c), r * width * c);
  return createRasterImage(width, height, c, out);
}
