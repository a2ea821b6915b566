import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../module/seed.js';
import { isGated, type ExpertActivation } from './activation.js';
import type { FfnWeights } from './ffn-math.js';
import { glorotUniform } from './init.js';

/** Shape of one FFN body (dense or per expert). */
export interface FfnShape {
  inputDim: number;
  hiddenDim: number;
  outputDim: number;
  activation: ExpertActivation;
  bias: boolean;
  /**
   * Initialise the output projection (and bias) to zero so the block starts as a no-op — adapters and
   * LoRA's B matrix (the frozen base then passes through unchanged at step 0).
   */
  zeroOutput: boolean;
}

type AddParam = (name: string, initial: tf.Tensor, trainable: boolean) => tf.Variable;

/**
 * Creates w1, w2 (and b1, b2, w3) as parameters named like the dense FFN, with an optional leading expert
 * axis ([E, in, out]); the shared naming is what lets `upcycle` tile a dense FFN into a bank.
 */
export function createFfnParams(add: AddParam, shape: FfnShape, seed: number, lead: number[] = [], trainable = true): FfnWeights {
  const { inputDim: d, hiddenDim: h, outputDim: o } = shape;
  const w: FfnWeights = {
    w1: add('w1', glorotUniform([...lead, d, h], deriveSeed(seed, 'w1')), trainable),
    w2: add('w2', shape.zeroOutput ? tf.zeros([...lead, h, o]) : glorotUniform([...lead, h, o], deriveSeed(seed, 'w2')), trainable),
  };
  if (isGated(shape.activation)) w.w3 = add('w3', glorotUniform([...lead, d, h], deriveSeed(seed, 'w3')), trainable);
  if (shape.bias) {
    w.b1 = add('b1', tf.zeros([...lead, h]), trainable);
    w.b2 = add('b2', tf.zeros([...lead, o]), trainable);
  }
  return w;
}

/** Scalar parameters of one FFN body. */
export function ffnParamCount(shape: FfnShape): number {
  const { inputDim: d, hiddenDim: h, outputDim: o } = shape;
  return d * h + h * o + (isGated(shape.activation) ? d * h : 0) + (shape.bias ? h + o : 0);
}
