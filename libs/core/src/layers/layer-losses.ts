import * as tf from '@tensorflow/tfjs-core';
import { tidyObject } from '../experts/tidy-object.js';
import { DEFAULT_LOSS_COEFFICIENTS } from '../losses/coefficients.js';
import type { BalanceForm } from '../losses/balance.js';
import { routerZLoss } from '../losses/z-loss.js';
import type { AuxLoss } from '../module/loss.js';
import type { Router, Routing } from '../routers/router.js';

/** Weights and form of the auxiliary losses an MoE layer adds to its router's own. */
export interface BalanceOptions {
  /** Weight α of the Switch load-balancing loss α·E·Σ f_e P_e (0 = off; default 1e-2, Switch). */
  balanceWeight?: number;
  /** Which choices count towards f (default 'first-choice', the Switch definition). */
  balanceForm?: BalanceForm;
  /** Weight of the router z-loss on the router's logits, for every routing mode (default 0; ST-MoE uses 1e-3). */
  zLossWeight?: number;
}

/** Defaults of {@link BalanceOptions}: Switch balance α = 1e-2 on first choices, no z-loss. */
export const DEFAULT_BALANCE: Required<BalanceOptions> = { balanceWeight: DEFAULT_LOSS_COEFFICIENTS.switchBalance, balanceForm: 'first-choice', zLossWeight: 0 };

/**
 * The router's own aux terms plus the layer's weighted balance loss and z-loss. The balance term is the
 * router's (`Router.balanceLoss`: the Switch loss for token choice, EvoMoE's for the dense-to-sparse gate,
 * none for expert choice, dense routing, bias balancing and routers that carry theirs in `aux`). The
 * z-loss applies to the logits of every mode (dense and expert-choice routers have a softmax gate too).
 * Padded tokens (`tokenMask` [T] = 0) are left out of both.
 */
export function layerAuxLoss(routing: Routing, router: Router, o: Required<BalanceOptions>, tokenMask?: tf.Tensor1D): AuxLoss {
  return tidyObject(() => {
    const parts: Record<string, tf.Scalar> = {};
    for (const [k, v] of Object.entries(routing.aux.parts)) parts[k] = tf.clone(v);
    const terms: tf.Scalar[] = [tf.clone(routing.aux.total)];
    const balance = o.balanceWeight > 0 ? router.balanceLoss(routing, { form: o.balanceForm, tokenMask }) : undefined;
    if (balance) {
      const b = tf.mul(o.balanceWeight, balance) as tf.Scalar;
      parts.balance = b;
      terms.push(b);
    }
    if (o.zLossWeight > 0) {
      const z = tf.mul(o.zLossWeight, routerZLoss(routing.logits, tokenMask)) as tf.Scalar;
      parts.zLoss = z;
      terms.push(z);
    }
    return { total: (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar, parts };
  });
}
