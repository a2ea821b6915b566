import type * as tf from '@tensorflow/tfjs-core';
import { MoeInputError } from '../errors/moe-error.js';

// The scalar checks are the routers' (one implementation, one message format for every module).
export { checkInt, checkNumber } from '../routers/validate.js';

/** Throws unless `x` is float32 of the given rank whose last dimension is `lastDim`. */
export function checkInput(owner: string, arg: string, x: tf.Tensor, ranks: number[], lastDim: number): void {
  if (x == null || !Array.isArray((x as { shape?: unknown }).shape)) throw new MoeInputError('invalid_tensor', owner, `${owner}: ${arg} must be a tensor; got ${String(x)}`, arg);
  if (!ranks.includes(x.rank)) throw new MoeInputError('invalid_tensor', owner, `${owner}: ${arg} must have rank ${ranks.join(' or ')}; got shape [${x.shape}]`, arg);
  if (x.shape[x.rank - 1] !== lastDim) throw new MoeInputError('invalid_tensor', owner, `${owner}: ${arg} last dimension must be ${lastDim}; got shape [${x.shape}]`, arg);
  if (x.dtype !== 'float32') throw new MoeInputError('invalid_tensor', owner, `${owner}: ${arg} must be float32; got ${x.dtype}`, arg);
}
