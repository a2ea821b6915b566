import type * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { Router, type RouteOptions } from './router.js';
import { GateNetwork } from './gate-network.js';
import { CallSeeds } from './randomness.js';
import { checkInt, checkKnownKeys, checkRouteMask, checkTokens } from './validate.js';

/** Fields every gated router's config has. */
export interface GatedRouterConfig {
  /** Token representation width d. */
  inputDim: number;
  /** Number of (real) experts E. */
  numExperts: number;
  /** Seed of the initial weights and of the per-call randomness. Default 0. */
  seed?: number;
  /** Hidden ReLU layers of the gate network; [] (default) = linear gate. */
  gateHidden?: number[];
  /** Bias on the gate's logit layer (default false). */
  gateBias?: boolean;
  /** Variance scale of the gate's logit layer (default 0.1, Switch). */
  gateInitScale?: number;
}

export const GATED_FIELDS = ['kind', 'inputDim', 'numExperts', 'seed', 'gateHidden', 'gateBias', 'gateInitScale'] as const;

/**
 * Base of the routers that score tokens with one gate network: owns the gate (child 'gate'), the call seeds
 * and the common config fields, so each router file holds only its routing rule.
 */
export abstract class GatedRouter extends Router {
  readonly inputDim: number;
  readonly numExperts: number;
  readonly seed: number;
  protected readonly gate: GateNetwork;
  protected readonly seeds: CallSeeds;

  /**
   * @param gateOutputs logits the gate produces (E, or E + m for null experts).
   * @param knownFields every config field this router accepts (unknown ones are rejected).
   * @param gateInputDim width the gate sees (the recurrent router scores its GRU state, not x).
   */
  constructor(owner: string, config: GatedRouterConfig, knownFields: readonly string[], gateOutputs?: number, gateInputDim?: number) {
    super();
    if (config == null || typeof config !== 'object') throw new Error(`${owner}: config must be an object; got ${String(config)}`);
    checkKnownKeys(owner, config, knownFields);
    checkInt(owner, 'inputDim', config.inputDim);
    checkInt(owner, 'numExperts', config.numExperts);
    this.seed = config.seed ?? 0;
    checkInt(owner, 'seed', this.seed, 0);
    this.inputDim = config.inputDim;
    this.numExperts = config.numExperts;
    this.seeds = new CallSeeds(deriveSeed(this.seed, 'calls'));
    this.gate = this.addChild(
      'gate',
      new GateNetwork({
        inputDim: gateInputDim ?? config.inputDim,
        outputDim: gateOutputs ?? config.numExperts,
        hidden: config.gateHidden,
        useBias: config.gateBias,
        initScale: config.gateInitScale,
        seed: deriveSeed(this.seed, 'gate'),
      }),
    );
  }

  /** Common config fields (subclasses spread this into their getConfig). */
  protected gatedConfig(): ModuleConfig {
    return {
      kind: this.kind,
      inputDim: this.inputDim,
      numExperts: this.numExperts,
      seed: this.seed,
      gateHidden: [...this.gate.hidden],
      gateBias: this.gate.useBias,
      gateInitScale: this.gate.initScale,
    };
  }

  /** Checks the tokens x [T, inputDim] and, when given, options.tokenMask [T]. */
  protected checkInput(x: tf.Tensor2D, options?: RouteOptions): void {
    checkTokens(this.kind, 'x', x, this.inputDim);
    checkRouteMask(this.kind, options?.tokenMask, x.shape[0]);
  }
}
