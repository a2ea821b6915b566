import type * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import type { RouteOptions, RouterBalanceOptions, Routing, TokenChoiceRouting } from './router.js';
import { GatedRouter, type GatedRouterConfig } from './gated-router.js';
import { CAPACITY_FIELDS, resolveCapacity, tokenChoiceCapacity, type CapacityConfig, type ResolvedCapacity } from './capacity.js';

/** Construction details a {@link TokenChoiceRouter} subclass fixes (not user config). */
export interface TokenChoiceRouterSetup {
  /** Dropless unless the config says otherwise (true for routers whose experts per token vary). */
  droplessByDefault: boolean;
  /** Logits the gate produces (E, or E + m for null experts). */
  gateOutputs?: number;
  /** Width the gate sees (the recurrent router scores its GRU state, not x). */
  gateInputDim?: number;
  /**
   * Whether a layer adds its load-balancing term for this router (default true). False for routers that
   * carry their own in `aux` (AdaMoE's null-aware loss needs the null slots the routing drops) or balance
   * without a loss (bias balancing).
   */
  layerBalance?: boolean;
}

/**
 * Base of the gated token-choice routers (top-k, Switch, top-p, null experts, dense-to-sparse, recurrent,
 * uncertainty, bias-balanced). It owns what they share, written once here: the capacity options (validated,
 * accepted as config fields, reported by `getConfig`), the capacity formula `capacity()` with the
 * subclass's slots per token. The load-balancing term a layer adds is `Router.balanceLoss` (the Switch loss
 * for every token-choice routing; a router with its own rule overrides it). Subclasses hold only their
 * routing rule.
 */
export abstract class TokenChoiceRouter extends GatedRouter {
  readonly capacityOptions: ResolvedCapacity;
  private readonly layerBalance: boolean;

  constructor(owner: string, config: GatedRouterConfig & CapacityConfig, knownFields: readonly string[], setup: TokenChoiceRouterSetup) {
    super(owner, config, [...new Set([...knownFields, ...CAPACITY_FIELDS])], setup.gateOutputs, setup.gateInputDim);
    this.capacityOptions = resolveCapacity(owner, config, setup.droplessByDefault);
    this.layerBalance = setup.layerBalance ?? true;
  }

  /** The Switch loss (`Router.balanceLoss`), or none when the setup said `layerBalance: false`. */
  override balanceLoss(routing: Routing, options: RouterBalanceOptions): tf.Scalar | undefined {
    return this.layerBalance ? super.balanceLoss(routing, options) : undefined;
  }

  /** Slots per token the capacity formula counts (k; the maximum for routers with a variable number). */
  protected abstract slotsPerToken(): number;

  abstract override route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting;

  /** C = min(T, max(minCapacity, ⌈cf · slots · T / E⌉)), or undefined when dropless (see capacity.ts). */
  override capacity(numTokens: number, training: boolean): number | undefined {
    return tokenChoiceCapacity(this.capacityOptions, numTokens, this.slotsPerToken(), this.numExperts, training);
  }

  /** Gate fields plus the capacity options, for the subclasses' getConfig. */
  protected tokenChoiceConfig(): ModuleConfig {
    return { ...this.gatedConfig(), ...this.capacityOptions };
  }
}
