import * as tf from '@tensorflow/tfjs-core';
import type { FloatFrames } from './frame-anomalies.js';
import type { FrozenConvBackbone } from './frozen-backbone.js';

/**
 * I3D-style snippet features from frames: each snippet of `framesPerSnippet` frames becomes the mean of the
 * frozen backbone's appearance features over its frames, concatenated with the mean of the same backbone over
 * absolute frame differences (a cheap motion stream, as I3D's flow stream is to its RGB one). Returns
 * [snippets × 2·backbone.outputDim] row-major.
 */
export async function clipSnippetFeatures(clip: FloatFrames, backbone: FrozenConvBackbone, framesPerSnippet: number): Promise<{ features: Float32Array; snippets: number; dim: number }> {
  const { width: w, height: h, frames } = clip;
  const snippets = Math.floor(frames / framesPerSnippet);
  if (snippets < 1) throw new RangeError(`clip of ${frames} frames: expected at least ${framesPerSnippet} (one snippet)`);
  const used = snippets * framesPerSnippet;
  const out = tf.tidy(() => {
    const x = tf.tensor4d(clip.data.subarray(0, used * w * h), [used, h, w, 1]);
    const previous = tf.concat([tf.slice(x, [0, 0, 0, 0], [1, h, w, 1]), tf.slice(x, [0, 0, 0, 0], [used - 1, h, w, 1])], 0);
    const motion = tf.mul(tf.abs(tf.sub(x, previous)), 4);
    const appearance = backbone.apply(x);
    const moving = backbone.apply(motion as tf.Tensor4D);
    const perFrame = tf.concat([appearance, moving], 1); // [frames, 2C]
    return tf.mean(tf.reshape(perFrame, [snippets, framesPerSnippet, 2 * backbone.outputDim]), 1);
  });
  const features = new Float32Array(await out.data());
  out.dispose();
  return { features, snippets, dim: 2 * backbone.outputDim };
}
