import * as tf from '@tensorflow/tfjs-core';
import { activate, checkActivation, type ActivationName } from '../experts/activation.js';
import { glorotUniform } from '../experts/init.js';
import { deriveSeed } from '../module/seed.js';
import { checkBoolean, checkIntArray } from '../routers/validate.js';
import { checkConfigFields } from '../config/config-fields.js';

/** Shape of a multi-layer perceptron: Linear → [BatchNorm] → activation per layer. */
export interface MlpLayers {
  /** Output width of each layer; [] is the identity. */
  sizes: number[];
  /** Default 'relu'. */
  activation?: ActivationName;
  /** BatchNorm between each linear map and its activation (HoME's expert form Swish(BN(Wv + b))). Default false. */
  batchNorm?: boolean;
  /** Leave the last layer linear, without norm or activation (logit outputs, FFN experts). Default false. */
  linearOutput?: boolean;
}

const ACTIVATIONS: readonly ActivationName[] = ['relu', 'gelu', 'swish', 'identity'];

/** Validates an {@link MlpLayers} and fills its defaults, naming `owner.field` on error. */
export function resolveMlpLayers(owner: string, field: string, layers: MlpLayers): Required<MlpLayers> {
  if (layers == null || typeof layers !== 'object') throw new Error(`${owner}: ${field} must be an object { sizes, activation?, batchNorm?, linearOutput? }; got ${String(layers)}`);
  checkConfigFields(owner, layers, ['sizes', 'activation', 'batchNorm', 'linearOutput'], `${field}.`);
  checkIntArray(owner, `${field}.sizes`, layers.sizes);
  const out = { sizes: [...layers.sizes], activation: layers.activation ?? 'relu', batchNorm: layers.batchNorm ?? false, linearOutput: layers.linearOutput ?? false };
  checkActivation(owner, `${field}.activation`, out.activation, ACTIVATIONS);
  checkBoolean(owner, `${field}.batchNorm`, out.batchNorm);
  checkBoolean(owner, `${field}.linearOutput`, out.linearOutput);
  return out;
}

/** Output width of layers on `inputDim` inputs. */
export function mlpOutputDim(inputDim: number, layers: Required<MlpLayers>): number {
  return layers.sizes.length ? layers.sizes[layers.sizes.length - 1] : inputDim;
}

/** Whether layer i is followed by norm + activation. */
export function isHiddenLayer(layers: Required<MlpLayers>, i: number): boolean {
  return !(layers.linearOutput && i === layers.sizes.length - 1);
}

/** Parameters of one layer: w [..., in, out], b [..., out]. */
export interface MlpLayerWeights {
  w: tf.Tensor;
  b: tf.Tensor;
}

/** Creates Glorot-uniform weights and zero biases, with an optional leading expert axis (`lead` = [E]). */
export function createMlpWeights(add: (name: string, t: tf.Tensor) => tf.Variable, inputDim: number, layers: Required<MlpLayers>, seed: number, lead: number[] = []): MlpLayerWeights[] {
  let width = inputDim;
  return layers.sizes.map((size, i) => {
    const w = add(`w${i}`, glorotUniform([...lead, width, size], deriveSeed(seed, `w${i}`)));
    const b = add(`b${i}`, tf.zeros([...lead, size]));
    width = size;
    return { w, b };
  });
}

/** How one MLP body runs on a representation `T` (one tensor, or one tensor per expert). */
export interface MlpOps<T, W = MlpLayerWeights> {
  /** Layer `w`'s linear map (W: that layer's weights — one network's, or every expert's). */
  linear(h: T, w: W): T;
  /** Only called on hidden layers with BatchNorm. */
  norm(h: T, layer: number): T;
  activate(h: T, activation: ActivationName): T;
}

/** Element-wise activation of one tensor (the `activate` of single-tensor {@link MlpOps}). */
export function activateTensor<T extends tf.Tensor>(h: T, activation: ActivationName): T {
  return activate(h, activation) as T;
}

/**
 * The one MLP body shared by single networks (dense matmuls), expert banks on a dispatch plan (grouped
 * matmuls) and banks with every expert on every token (one dense matmul per expert): per layer
 * h = linear(h, weights[i]), then — on hidden layers — `norm(h, i)` (with BatchNorm) and the activation.
 */
export function mlpForward<T, W = MlpLayerWeights>(x: T, weights: W[], layers: Required<MlpLayers>, ops: MlpOps<T, W>): T {
  return tf.tidy(() => {
    let h = x;
    weights.forEach((w, i) => {
      h = ops.linear(h, w);
      if (!isHiddenLayer(layers, i)) return;
      if (layers.batchNorm) h = ops.norm(h, i);
      h = ops.activate(h, layers.activation);
    });
    return h as unknown as tf.TensorContainer;
  }) as unknown as T;
}
