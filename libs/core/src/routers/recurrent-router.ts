import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import type { RouteOptions, TokenChoiceRouting } from './router.js';
import { GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import type { CapacityConfig } from './capacity.js';
import { TokenChoiceRouter } from './token-choice-router.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { GruCell } from './gru-cell.js';
import { selectTopK } from './token-choice.js';
import { checkBoolean, checkInt } from './validate.js';

/** Configuration of {@link RecurrentRouter}. */
export interface RecurrentRouterConfig extends GatedRouterConfig, CapacityConfig {
  /** Experts per token (RMoE: 2 of 8). */
  k?: number;
  /** Renormalise the k weights (default true). */
  normalize?: boolean;
  /** GRU state width (RMoE `moe_router_rnn_hidden_size` 256). */
  hiddenSize?: number;
}

const FIELDS = [...GATED_FIELDS, 'k', 'normalize', 'hiddenSize'] as const;

/**
 * Layerwise recurrent router (RMoE, Qiu et al. 2024): the router of layer l scores
 * ℓ_l = gate(GRU(x_l W_proj, h_{l−1})), where h_{l−1} is the GRU state of the previous MoE layer's router,
 * passed in `RouteOptions.state` (zeros for the first layer) and returned in `TokenChoiceRouting.state`.
 * Routing decisions thus depend on how earlier layers routed the same token. RMoE shares one GRU across
 * layers; here each layer's router owns its cell (same recurrence, per-layer weights), so layers stay
 * independent modules for saving and loading.
 */
export class RecurrentRouter extends TokenChoiceRouter {
  readonly kind = 'RecurrentRouter';
  readonly k: number;
  readonly normalize: boolean;
  readonly hiddenSize: number;
  private readonly projection: tf.Variable;
  private readonly cell: GruCell;

  constructor(config: RecurrentRouterConfig) {
    const hidden = config?.hiddenSize ?? 256;
    checkInt('RecurrentRouter', 'hiddenSize', hidden);
    super('RecurrentRouter', config, FIELDS, { droplessByDefault: false, gateInputDim: hidden });
    this.hiddenSize = hidden;
    this.k = config.k ?? 2;
    checkInt(this.kind, 'k', this.k, 1, this.numExperts);
    this.normalize = config.normalize ?? this.k > 1;
    checkBoolean(this.kind, 'normalize', this.normalize);
    const std = Math.sqrt(1 / this.inputDim);
    this.projection = this.addParam('proj.w', tf.truncatedNormal([this.inputDim, hidden], 0, std, 'float32', deriveSeed(this.seed, 'proj')));
    this.cell = this.addChild('gru', new GruCell({ inputDim: hidden, hiddenSize: hidden, seed: deriveSeed(this.seed, 'gru') }));
  }

  protected slotsPerToken(): number {
    return this.k;
  }

  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting {
    this.checkInput(x, options);
    const T = x.shape[0];
    const state = options.state;
    if (state !== undefined && (state.rank !== 2 || state.shape[0] !== T || state.shape[1] !== this.hiddenSize)) {
      throw new Error(`RecurrentRouter: options.state must have shape [${T}, ${this.hiddenSize}] (the previous layer's routing.state); got [${state.shape}]`);
    }
    return tidyObject(() => {
      const previous = (state as tf.Tensor2D | undefined) ?? (tf.zeros([T, this.hiddenSize]) as tf.Tensor2D);
      const h = this.cell.step(tf.matMul(x, this.projection), previous);
      const logits = this.gate.apply(h);
      const probs = tf.softmax(logits);
      const { indices, weights } = selectTopK(logits, probs, this.k, this.normalize);
      return { mode: 'token-choice' as const, indices, weights, probs, logits, aux: auxFromParts({}), state: h };
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.tokenChoiceConfig(), k: this.k, normalize: this.normalize, hiddenSize: this.hiddenSize };
  }
}
