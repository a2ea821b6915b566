import { createRng } from '@moe/runtime';

/**
 * Anomalies inserted into real frames, so the pixel pipeline has events with known snippet truth:
 * - `occlusion`: a dark rectangle over a third of the view (something blocks the camera);
 * - `shake`: every frame shifted by a random offset of up to 1/8 of the frame (sudden camera motion);
 * - `object`: a bright disc crossing the view fast (an object thrown or driven through).
 */
export const FRAME_ANOMALIES = ['occlusion', 'shake', 'object'] as const;
export type FrameAnomaly = (typeof FRAME_ANOMALIES)[number];

/** Float frames in [0, 1], frames × height × width. */
export interface FloatFrames {
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  readonly data: Float32Array;
}

/** Applies `kind` to frames [from, to) of `clip` in place (seeded: the same seed draws the same event). */
export function insertAnomaly(clip: FloatFrames, kind: FrameAnomaly, from: number, to: number, seed: number): void {
  const { width: w, height: h, data } = clip;
  if (!(from >= 0 && to <= clip.frames && from < to)) throw new RangeError(`frames [${from}, ${to}): expected a range inside 0…${clip.frames}`);
  const rng = createRng(seed);
  const frame = (f: number) => data.subarray(f * w * h, (f + 1) * w * h);
  if (kind === 'occlusion') {
    const rw = Math.round(w * 0.55);
    const rh = Math.round(h * 0.6);
    const x0 = rng.nextInt(w - rw + 1);
    const y0 = rng.nextInt(h - rh + 1);
    for (let f = from; f < to; f++) {
      const px = frame(f);
      for (let y = y0; y < y0 + rh; y++) for (let x = x0; x < x0 + rw; x++) px[y * w + x] = 0.05;
    }
  } else if (kind === 'shake') {
    const maxShift = Math.max(1, Math.round(w / 8));
    for (let f = from; f < to; f++) {
      const px = frame(f);
      const copy = px.slice();
      const dx = rng.nextInt(2 * maxShift + 1) - maxShift;
      const dy = rng.nextInt(2 * maxShift + 1) - maxShift;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const sx = Math.min(w - 1, Math.max(0, x + dx));
        const sy = Math.min(h - 1, Math.max(0, y + dy));
        px[y * w + x] = copy[sy * w + sx];
      }
    }
  } else {
    const radius = Math.max(2, Math.round(h / 6));
    const y0 = radius + rng.nextInt(Math.max(1, h - 2 * radius));
    for (let f = from; f < to; f++) {
      const px = frame(f);
      const cx = Math.round(((f - from + 0.5) / (to - from)) * w);
      for (let y = Math.max(0, y0 - radius); y < Math.min(h, y0 + radius); y++) for (let x = Math.max(0, cx - radius); x < Math.min(w, cx + radius); x++) {
        if ((x - cx) ** 2 + (y - y0) ** 2 <= radius * radius) px[y * w + x] = 1;
      }
    }
  }
}
