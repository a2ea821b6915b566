import * as tf from '@tensorflow/tfjs-core';
import { countIds, scatterColumns } from '../routers/selection.js';
import { checkTokenMask, maskRows } from './token-mask.js';

/**
 * Which assignments count towards f_e, the fraction of tokens dispatched to expert e:
 * - 'first-choice': only each token's first (highest-scoring) choice, f_e = #{t : idx[t,0] = e} / T.
 *   Switch (k=1), mesh-tf `_switch_gating`, DeepSpeed top-1 and top-2 (top-1 mask only), Tutel `gshard_loss`,
 *   lucidrains MoE / ST-MoE.
 * - 'all-k': every routed slot, f_e = #{(t,j) : idx[t,j] = e} / (T·k). HF-Mixtral style (MixLoRA, RMoE,
 *   keras-hub, AdaMoE), MegaBlocks, DeepSeekMoE expert-level (whose f is E/(K·T)·count, the same up to the
 *   E factor below), DeepSpeed top-k (which divides by k the same way).
 * Both give exactly 1 at perfect balance. flaxformer counts "token touches e in any of its top-k" without
 * dividing by k, so its balanced value is k: that is 'all-k' × k.
 */
export type BalanceForm = 'first-choice' | 'all-k';

/** Options of {@link loadBalancingLoss}. */
export interface LoadBalancingOptions {
  /** Default 'first-choice' (the Switch paper's definition). */
  form?: BalanceForm;
  /** [T] weights (1 = real token, 0 = padding), masked out of both f and P as MixLoRA/HF do. */
  tokenMask?: tf.Tensor1D;
}

/**
 * Unweighted Switch load-balancing loss E · Σ_e f_e · P_e (multiply by α = 1e-2 for the Switch default).
 * `probs` [T, E] must be the full softmax over all experts (not over the top-k only: a known bug that makes
 * the loss constant); `indices` [T, k] int32 routed experts, -1 = none. f is a hard count (no gradient);
 * the gradient flows through P_e = mean_t probs[t, e].
 */
export function loadBalancingLoss(probs: tf.Tensor2D, indices: tf.Tensor2D, options: LoadBalancingOptions = {}): tf.Scalar {
  const form = options.form ?? 'first-choice';
  if (form !== 'first-choice' && form !== 'all-k') throw new Error(`loadBalancingLoss: options.form must be 'first-choice' or 'all-k'; got ${JSON.stringify(form)}`);
  checkPair('loadBalancingLoss', probs, indices);
  const [T, E] = probs.shape;
  if (options.tokenMask && (options.tokenMask.rank !== 1 || options.tokenMask.shape[0] !== T)) {
    throw new Error(`loadBalancingLoss: options.tokenMask must have shape [${T}]; got [${options.tokenMask.shape}]`);
  }
  return tf.tidy(() => {
    const counted = (form === 'first-choice' ? tf.slice(indices, [0, 0], [T, 1]) : indices) as tf.Tensor2D;
    const slots = counted.shape[1];
    const mask = options.tokenMask;
    // Hard counts: no gradient flows through f (it comes from integer ids).
    const counts = countIds(counted, E, mask);
    const denom = mask ? tf.maximum(tf.sum(mask), 1) : tf.scalar(T);
    const f = tf.div(counts, tf.mul(denom, slots));
    const P = tf.div(tf.sum(mask ? tf.mul(probs, tf.expandDims(mask, 1)) : probs, 0), denom);
    return tf.mul(E, tf.sum(tf.mul(f, P))) as tf.Scalar;
  });
}

/**
 * AdaMoE's null-aware balance: logits cover E real + m null experts, `indices` [T, k] index into all E+m
 * (ids ≥ numReal are null slots). All-k counting over E+m entries, but the f of the null experts is replaced
 * by their mean, because null experts are interchangeable and should not be pushed apart from each other.
 * Padded tokens (`tokenMask` [T] = 0) count in neither f nor P. Unweighted; 1 at perfect balance.
 */
export function nullAwareBalanceLoss(probsAll: tf.Tensor2D, indices: tf.Tensor2D, numReal: number, tokenMask?: tf.Tensor1D): tf.Scalar {
  checkPair('nullAwareBalanceLoss', probsAll, indices);
  const [T, N] = probsAll.shape;
  if (!Number.isInteger(numReal) || numReal < 1 || numReal >= N) {
    throw new Error(`nullAwareBalanceLoss: numReal must be an integer in [1, ${N - 1}] (probs cover real + null experts); got ${numReal}`);
  }
  checkTokenMask('nullAwareBalanceLoss', tokenMask, T);
  return tf.tidy(() => {
    const k = indices.shape[1];
    const tokens = tokenMask ? tf.maximum(tf.sum(tokenMask), 1) : tf.scalar(T);
    const f = tf.div(countIds(indices, N, tokenMask), tf.mul(tokens, k)) as tf.Tensor1D;
    const fReal = tf.slice(f, [0], [numReal]);
    const fNull = tf.slice(f, [numReal], [N - numReal]);
    const fAdj = tf.concat([fReal, tf.mul(tf.onesLike(fNull), tf.mean(fNull))]);
    const P = tf.div(tf.sum(maskRows(probsAll, tokenMask), 0), tokens);
    return tf.mul(N, tf.sum(tf.mul(fAdj, P))) as tf.Scalar;
  });
}

/**
 * EvoMoE's balance loss on the experts each token selected (fairseq `topkgating` of codecaution/EvoMoE:
 * l_aux = E²·mean_e(me_e·ce_e) = E·Σ_e me_e·ce_e), where ce_e is the fraction of tokens that selected e
 * and me_e the mean over tokens of e's gate value, zero where e was not selected. `indices` [T, k] are the
 * selected experts (-1 = none; each expert at most once per token) and `weights` [T, k] their gate values
 * (the Gumbel-softmax gates); the gradient flows through the weights. Unlike the first-choice Switch loss it
 * counts every selected expert, so it is also right for the dense phase, where a token selects many.
 * Padded tokens (`tokenMask` [T] = 0) are left out. Unweighted.
 */
export function selectedGateBalanceLoss(indices: tf.Tensor2D, weights: tf.Tensor2D, numExperts: number, tokenMask?: tf.Tensor1D): tf.Scalar {
  if (indices.rank !== 2 || indices.dtype !== 'int32') throw new Error(`selectedGateBalanceLoss: indices must be an int32 [T, k] tensor; got ${indices.dtype} [${indices.shape}]`);
  if (weights.rank !== 2 || !tf.util.arraysEqual(weights.shape, indices.shape)) {
    throw new Error(`selectedGateBalanceLoss: weights must have the shape of indices [${indices.shape}]; got [${weights.shape}]`);
  }
  if (!Number.isInteger(numExperts) || numExperts < 1) throw new Error(`selectedGateBalanceLoss: numExperts must be an integer ≥ 1; got ${numExperts}`);
  const T = indices.shape[0];
  checkTokenMask('selectedGateBalanceLoss', tokenMask, T);
  return tf.tidy(() => {
    const tokens = tokenMask ? tf.maximum(tf.sum(tokenMask), 1) : tf.scalar(T);
    const ce = tf.div(countIds(indices, numExperts, tokenMask), tokens); // hard counts: no gradient
    const me = tf.div(tf.sum(maskRows(scatterColumns(indices, weights, numExperts), tokenMask), 0), tokens);
    return tf.mul(numExperts, tf.sum(tf.mul(me, ce))) as tf.Scalar;
  });
}

function checkPair(owner: string, probs: tf.Tensor, indices: tf.Tensor): void {
  if (probs.rank !== 2) throw new Error(`${owner}: probs must have shape [T, E]; got [${probs.shape}]`);
  if (indices.rank !== 2 || indices.shape[0] !== probs.shape[0]) {
    throw new Error(`${owner}: indices must have shape [${probs.shape[0]}, k]; got [${indices.shape}]`);
  }
  if (indices.dtype !== 'int32') throw new Error(`${owner}: indices must be int32; got ${indices.dtype}`);
}
