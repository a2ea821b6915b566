import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../module/seed.js';

/**
 * Seeds for a router's per-call randomness. Each call gets `deriveSeed(seed, 'call<n>')` with a counter, so a
 * run from one config is reproducible while successive calls draw fresh noise; an explicit `RouteOptions.seed`
 * overrides it (and does not advance the counter) for replays and gradient checks.
 */
export class CallSeeds {
  private calls = 0;
  constructor(private readonly seed: number) {}

  next(explicit: number | undefined): number {
    if (explicit !== undefined) {
      if (!Number.isInteger(explicit) || explicit < 0) throw new Error(`RouteOptions.seed must be an integer ≥ 0; got ${JSON.stringify(explicit)}`);
      return explicit;
    }
    return deriveSeed(this.seed, `call${this.calls++}`);
  }
}

/** Multiplicative input jitter x·U[1−ε, 1+ε] (DeepSpeed, MegaBlocks, mesh-tf `switch_jitter`). */
export function jitter(x: tf.Tensor2D, eps: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.randomUniform(x.shape, 1 - eps, 1 + eps, 'float32', seed)));
}

/** Inverted dropout with rate p and a seed (tf.dropout's seed is not honoured by every backend). */
export function seededDropout(x: tf.Tensor2D, rate: number, seed: number): tf.Tensor2D {
  if (rate <= 0) return tf.clone(x);
  return tf.tidy(() => {
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), rate), 'float32');
    return tf.mul(x, tf.div(keep, 1 - rate));
  });
}

/** Standard Gumbel noise −log(−log U), U clipped away from 0 and 1. */
export function gumbelNoise(shape: [number, number], seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.neg(tf.log(tf.neg(tf.log(tf.randomUniform(shape, 1e-6, 1 - 1e-6, 'float32', seed))))));
}
