import * as tf from '@tensorflow/tfjs-core';
import { tidyObject } from '../experts/tidy-object.js';
import { DEFAULT_LOSS_COEFFICIENTS } from '../losses/coefficients.js';
import { loadBalancingLoss, type BalanceForm } from '../losses/balance.js';
import { routerZLoss } from '../losses/z-loss.js';
import type { AuxLoss } from '../module/loss.js';
import type { Routing } from '../routers/router.js';
import type { Assignment } from './routing-assignment.js';

/** Weights and form of the auxiliary losses an MoE layer adds to its router's own. */
export interface BalanceOptions {
  /** Weight α of the Switch load-balancing loss α·E·Σ f_e P_e (0 = off; default 1e-2, Switch). */
  balanceWeight?: number;
  /** Which choices count towards f (default 'first-choice', the Switch definition). */
  balanceForm?: BalanceForm;
  /** Weight of the router z-loss (default 0; ST-MoE uses 1e-3). */
  zLossWeight?: number;
}

/** Defaults of {@link BalanceOptions}: Switch balance α = 1e-2 on first choices, no z-loss. */
export const DEFAULT_BALANCE: Required<BalanceOptions> = { balanceWeight: DEFAULT_LOSS_COEFFICIENTS.switchBalance, balanceForm: 'first-choice', zLossWeight: 0 };

/**
 * The router's own aux terms plus the layer's weighted balance loss and z-loss. Both only apply to
 * token-choice routing (expert choice is balanced by construction; dense routing has nothing to balance),
 * and the balance loss is skipped when the router brings its own (AdaMoE's null-aware loss, bias balancing).
 */
export function layerAuxLoss(routing: Routing, assignment: Assignment, o: Required<BalanceOptions>, routerBalances: boolean): AuxLoss {
  return tidyObject(() => {
    const parts: Record<string, tf.Scalar> = {};
    for (const [k, v] of Object.entries(routing.aux.parts)) parts[k] = tf.clone(v);
    const terms: tf.Scalar[] = [tf.clone(routing.aux.total)];
    if (routing.mode === 'token-choice' && !routerBalances && o.balanceWeight > 0) {
      const b = tf.mul(o.balanceWeight, loadBalancingLoss(routing.probs, assignment.indices, { form: o.balanceForm })) as tf.Scalar;
      parts.balance = b;
      terms.push(b);
    }
    if (routing.mode === 'token-choice' && o.zLossWeight > 0) {
      const z = tf.mul(o.zLossWeight, routerZLoss(routing.logits)) as tf.Scalar;
      parts.zLoss = z;
      terms.push(z);
    }
    return { total: (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar, parts };
  });
}
