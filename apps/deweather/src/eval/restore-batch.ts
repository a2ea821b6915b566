import * as tf from '@tensorflow/tfjs-core';
import { UncertaintyCalibratedRouter, disposeRoutingStats, readRoutingStats } from '@moe/core';
import { createRasterImage, type RasterImage } from '@moe/vision';
import type { DeweatherNet } from '../model/deweather-net.js';
import { toBatchTensor } from '../data/weather-pairs.js';

/** What the network did with one batch in evaluation mode. */
export interface RestoredBatch {
  /** Restored images, clipped to [0, 1]. */
  images: RasterImage[];
  /** Per MoE layer: assignments per expert over the batch (empty for dense). */
  expertCounts: number[][];
  /** Per image: mean over tokens and layers of the UaR's mutual information, and of the plain router entropy (only for the UaR variant). */
  uncertainty?: { mutualInformation: number[]; entropy: number[] };
}

/** Restores same-size images in evaluation mode and reads routing telemetry and (for UaR) uncertainty. */
export async function restoreBatch(net: DeweatherNet, inputs: readonly RasterImage[]): Promise<RestoredBatch> {
  const x = toBatchTensor(inputs);
  const tokens: tf.Tensor2D[] = [];
  const f = net.apply(x, { training: false, tokensOut: tokens });
  try {
    const B = inputs.length;
    const { width, height } = inputs[0];
    const clipped = tf.tidy(() => tf.clipByValue(f.output, 0, 1));
    const data = (await clipped.data()) as Float32Array;
    clipped.dispose();
    const n = width * height * 3;
    const images = Array.from({ length: B }, (_, i) => createRasterImage(width, height, 3, data.slice(i * n, (i + 1) * n)));
    const expertCounts: number[][] = [];
    for (const s of f.stats) expertCounts.push((await readRoutingStats(s)).expertCounts);
    const routers = net.routers;
    let uncertainty: RestoredBatch['uncertainty'];
    if (routers.length > 0 && routers.every((r) => r instanceof UncertaintyCalibratedRouter)) {
      const packed = tf.tidy(() => {
        const mi: tf.Tensor[] = [];
        const en: tf.Tensor[] = [];
        routers.forEach((r, l) => {
          const u = (r as UncertaintyCalibratedRouter).uncertainty(tokens[l]);
          mi.push(tf.mean(tf.reshape(u.mutualInformation, [B, -1]), 1));
          en.push(tf.mean(tf.reshape(u.entropy, [B, -1]), 1));
        });
        return tf.stack([tf.mean(tf.stack(mi), 0), tf.mean(tf.stack(en), 0)]);
      });
      const v = await packed.data();
      packed.dispose();
      uncertainty = { mutualInformation: Array.from(v.subarray(0, B)), entropy: Array.from(v.subarray(B, 2 * B)) };
    }
    return { images, expertCounts, ...(uncertainty ? { uncertainty } : {}) };
  } finally {
    x.dispose();
    tf.dispose([f.output, f.aux, ...tokens]);
    for (const s of f.stats) disposeRoutingStats(s);
  }
}
