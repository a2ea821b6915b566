import * as tf from '@tensorflow/tfjs-core';
import { checkTileSet, type TileSet } from '../data/tile-set.js';
import type { SegmentationModel } from '../model/segmentation-model.js';
import { ConfusionMatrix, type SegmentationScores } from './confusion.js';

/** Class ids [N·S·S] the model predicts for every tile of `set` (argmax of the logits), in batches. */
export async function predictLabels(model: SegmentationModel, set: TileSet, batchSize = 16): Promise<Uint8Array> {
  checkTileSet('predictLabels', 'set', set, false);
  const s = set.size;
  const px = s * s * set.channels;
  const out = new Uint8Array(set.count * s * s);
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const ids = tf.tidy(() => {
      const x = tf.tensor4d(set.images.subarray(start * px, (start + n) * px), [n, s, s, set.channels]);
      return tf.argMax(model.apply(x), 3);
    });
    out.set(await ids.data(), start * s * s);
    ids.dispose();
  }
  return out;
}

/** mIoU, per-class IoU and pixel accuracy of the model on a labelled tile set. */
export async function evaluateSegmentation(model: SegmentationModel, set: TileSet, batchSize = 16): Promise<SegmentationScores> {
  checkTileSet('evaluateSegmentation', 'set', set, true);
  const predicted = await predictLabels(model, set, batchSize);
  const cm = new ConfusionMatrix(model.numClasses);
  cm.add(set.labels!, predicted);
  return cm.scores();
}
