import * as tf from '@tensorflow/tfjs-core';
import type { ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import type { RouteOptions, RouterBalanceOptions, Routing, TokenChoiceRouting } from './router.js';
import { GATED_FIELDS, type GatedRouterConfig } from './gated-router.js';
import type { CapacityConfig } from './capacity.js';
import { TokenChoiceRouter } from './token-choice-router.js';
import { selectedGateBalanceLoss } from '../losses/balance.js';
import { auxFromParts } from './aux.js';
import { tidyObject } from '../experts/tidy-object.js';
import { gumbelNoise } from './randomness.js';
import { detached, pickColumns, topKIndices } from './selection.js';
import { checkInt, checkNumber, checkOneOf } from './validate.js';

/** How the Gumbel-softmax temperature decays from `maxTemperature` to `minTemperature`. */
export type TemperatureSchedule = 'exponential' | 'linear';

/** Configuration of {@link DenseToSparseRouter} (EvoMoE defaults). */
export interface DenseToSparseRouterConfig extends GatedRouterConfig, CapacityConfig {
  /** Gumbel-softmax temperature at step 0 (EvoMoE `max_temperature` 1.0). */
  maxTemperature?: number;
  /** Temperature floor (EvoMoE `min_temperature` 0.5). */
  minTemperature?: number;
  /** Steps over which τ goes from max to min (default 1000). */
  decaySteps?: number;
  /** 'exponential' (EvoMoE default: τ_t = max(τ_max·exp(t·ln(τ_min/τ_max)/decay), τ_min)) or 'linear'. */
  schedule?: TemperatureSchedule;
  /** Step at which the gate turns into a hard top-k gate (EvoMoE `switch_to_hard_gumbel_softmax`; default 1000). */
  switchStep?: number;
  /** Experts per token after the switch (default 1). */
  hardK?: number;
  /** Dense phase: experts whose gate value is at most this are skipped (EvoMoE 0.001). */
  threshold?: number;
  /** Current training step (default 0). `getConfig()` reports it, so config + weights resume the schedule. */
  step?: number;
}

const FIELDS = [...GATED_FIELDS, 'maxTemperature', 'minTemperature', 'decaySteps', 'schedule', 'switchStep', 'hardK', 'threshold', 'step'] as const;

/**
 * EvoMoE dense-to-sparse gate (Nie et al. 2022): g = softmax((ℓ + Gumbel) / τ) with τ annealed by the
 * training step. Before `switchStep` every expert with g > threshold is used (nearly dense; indices [T, E]
 * with -1 for skipped experts); from `switchStep` on the gate is a hard top-`hardK` of g. The step is set by
 * the training loop through `setStep(step)` (it is schedule input, not a weight). No Gumbel noise in
 * evaluation. `probs` is the clean softmax of the logits (telemetry). The balance loss a layer adds is
 * EvoMoE's, on the selected experts and their Gumbel gates ({@link selectedGateBalanceLoss}), in both
 * phases — not the Switch first-choice loss, which in the dense phase (indices in expert order) would only
 * ever count expert 0.
 */
export class DenseToSparseRouter extends TokenChoiceRouter {
  readonly kind = 'DenseToSparseRouter';
  readonly maxTemperature: number;
  readonly minTemperature: number;
  readonly decaySteps: number;
  readonly schedule: TemperatureSchedule;
  readonly switchStep: number;
  readonly hardK: number;
  readonly threshold: number;
  private currentStep = 0;

  constructor(config: DenseToSparseRouterConfig) {
    super('DenseToSparseRouter', config, FIELDS, { droplessByDefault: true });
    this.maxTemperature = config.maxTemperature ?? 1;
    checkNumber(this.kind, 'maxTemperature', this.maxTemperature, 0, Infinity, true);
    this.minTemperature = config.minTemperature ?? 0.5;
    checkNumber(this.kind, 'minTemperature', this.minTemperature, 0, this.maxTemperature, true);
    this.decaySteps = config.decaySteps ?? 1000;
    checkInt(this.kind, 'decaySteps', this.decaySteps);
    this.schedule = config.schedule ?? 'exponential';
    checkOneOf(this.kind, 'schedule', this.schedule, ['exponential', 'linear'] as const);
    this.switchStep = config.switchStep ?? 1000;
    checkInt(this.kind, 'switchStep', this.switchStep, 0);
    this.hardK = config.hardK ?? 1;
    checkInt(this.kind, 'hardK', this.hardK, 1, this.numExperts);
    this.threshold = config.threshold ?? 1e-3;
    checkNumber(this.kind, 'threshold', this.threshold, 0, 1);
    this.setStep(config.step ?? 0);
  }

  /** Sets the training step that drives the temperature and the dense → sparse switch. */
  setStep(step: number): void {
    checkInt(this.kind, 'step', step, 0);
    this.currentStep = step;
  }

  get step(): number {
    return this.currentStep;
  }

  get sparse(): boolean {
    return this.currentStep >= this.switchStep;
  }

  /** τ at the current step. */
  temperature(step = this.currentStep): number {
    const { maxTemperature: hi, minTemperature: lo, decaySteps } = this;
    if (this.schedule === 'linear') return hi - (hi - lo) * Math.min(1, step / decaySteps);
    return Math.max(hi * Math.exp((step * Math.log(lo / hi)) / decaySteps), lo);
  }

  protected slotsPerToken(): number {
    return this.sparse ? this.hardK : this.numExperts;
  }

  /**
   * EvoMoE's loss E·Σ_e me_e·ce_e on the experts each token selected (every expert above the threshold in
   * the dense phase, the top-`hardK` after the switch) and their gate values, whatever the layer's
   * `balanceForm` (the paper's loss has no first-choice variant).
   */
  override balanceLoss(routing: Routing, options: RouterBalanceOptions): tf.Scalar | undefined {
    if (routing.mode !== 'token-choice') return undefined;
    return selectedGateBalanceLoss(routing.indices, routing.weights, this.numExperts, options.tokenMask);
  }

  route(x: tf.Tensor2D, options: RouteOptions): TokenChoiceRouting {
    this.checkInput(x, options);
    const seed = this.seeds.next(options.seed);
    const tau = this.temperature();
    return tidyObject(() => {
      const [T, E] = [x.shape[0], this.numExperts];
      const logits = this.gate.apply(x);
      const probs = tf.softmax(logits);
      const perturbed = options.training ? tf.add(logits, gumbelNoise([T, E], deriveSeed(seed, 'gumbel'))) : logits;
      const gates = tf.softmax(tf.div<tf.Tensor2D>(perturbed, tau));
      let indices: tf.Tensor2D;
      if (this.sparse) {
        indices = topKIndices(gates, this.hardK);
      } else {
        const threshold = this.threshold;
        indices = detached((g) => {
          const all = tf.tile(tf.reshape(tf.range(0, E, 1, 'int32'), [1, E]), [T, 1]);
          return tf.where(tf.greater(g, threshold), all, tf.fill([T, E], -1, 'int32')) as tf.Tensor2D;
        }, gates);
      }
      const weights = pickColumns(gates, indices);
      return { mode: 'token-choice' as const, indices, weights, probs, logits, aux: auxFromParts({}) };
    });
  }

  getConfig(): ModuleConfig {
    return {
      ...this.tokenChoiceConfig(),
      maxTemperature: this.maxTemperature,
      minTemperature: this.minTemperature,
      decaySteps: this.decaySteps,
      schedule: this.schedule,
      switchStep: this.switchStep,
      hardK: this.hardK,
      threshold: this.threshold,
      step: this.currentStep,
    };
  }
}
