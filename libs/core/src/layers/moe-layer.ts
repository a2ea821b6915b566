import * as tf from '@tensorflow/tfjs-core';
import { combine, computeDispatchPlan, disposeDispatchPlan, dispatch, type DispatchPlan } from '@moe/kernels';
import { DenseFfn } from '../experts/dense-ffn.js';
import type { ExpertBank } from '../experts/expert-bank.js';
import { checkNumber } from '../experts/check.js';
import { Module, type ModuleConfig } from '../module/module.js';
import type { AuxLoss } from '../module/loss.js';
import { disposeRouting, type Router, type RouteOptions, type Routing } from '../routers/router.js';
import { DEFAULT_BALANCE, layerAuxLoss, type BalanceOptions } from './layer-losses.js';
import { routingStats, type RoutingStats } from '../telemetry/routing-stats.js';
import { moduleSpec } from './module-registry.js';
import { maskAssignment, toAssignment, type Assignment } from './routing-assignment.js';
import { flattenTokenMask, flattenTokens } from './tokens.js';

/** Options of {@link MoeLayer}: balance/z-loss weights and an optional shared expert. */
export interface MoeLayerOptions extends BalanceOptions {
  /** Always-on shared expert(s) added to the routed output (DeepSeekMoE); its hidden width = count × expert width. */
  shared?: DenseFfn;
}

/** What every MoE forward returns. The caller owns (and disposes) every tensor in it. */
export interface MoeForward {
  /** Same leading shape as the input, last axis = the experts' output width. */
  output: tf.Tensor;
  /** Router's own terms plus the layer's load-balancing and z-loss, already weighted. */
  aux: AuxLoss;
  /** Routing telemetry of this batch. */
  stats: RoutingStats;
  /** Recurrent router state for the next layer (RMoE), when the router has one. */
  state?: tf.Tensor;
}

/** Options of one {@link MoeLayer.apply} call. */
export type MoeApplyOptions = Partial<Omit<RouteOptions, 'tokenMask'>> & {
  training: boolean;
  /**
   * Which positions are real tokens: a tensor of the input's leading shape ([B, S] for [B, S, d], [T] for
   * [T, d]), non-zero = real, 0 = padding (bool, int32 or float32). Padding is sent to no expert (it takes no
   * capacity slot and its output row is 0, shared experts included), and is left out of the balance loss
   * (f and P), the z-loss, the router's own losses and state updates, and the routing stats. The capacity
   * value itself is computed from all T positions, as flaxformer and DeepSpeed do (the real count is not
   * known on the host without a read-back); pass `capacity` to size it from the real tokens.
   */
  tokenMask?: tf.Tensor;
  /** Keep each token's first choice in the stats (for `RoutingConsistency`). Default false. */
  keepTop1?: boolean;
  /**
   * Per-call capacity for token-choice routing, overriding the router's (Tutel-style per-call override for
   * capacity sweeps): rows per expert, or 'dropless'.
   */
  capacity?: number | 'dropless';
};

/**
 * The FFN-replacement layer: route → dispatch (expert-contiguous, capacity or dropless) → all experts in
 * grouped matmuls → weighted combine (+ shared experts). Input [T, d] or [B, S, d], output the same shape
 * as the dense FFN it replaces. Token-choice, expert-choice and dense routers all go through one path.
 */
export class MoeLayer extends Module {
  readonly kind = 'MoeLayer';
  readonly router: Router;
  readonly experts: ExpertBank;
  readonly shared: DenseFfn | undefined;
  readonly balance: Required<BalanceOptions>;

  constructor(router: Router, experts: ExpertBank, options: MoeLayerOptions = {}) {
    super();
    if (router.numExperts !== experts.numExperts) {
      throw new Error(`MoeLayer: router.numExperts (${router.numExperts}) must equal experts.numExperts (${experts.numExperts})`);
    }
    if (options.shared) {
      if (options.shared.inputDim !== experts.inputDim || options.shared.outputDim !== experts.outputDim) {
        throw new Error(`MoeLayer: options.shared must map ${experts.inputDim} → ${experts.outputDim} like the experts; got ${options.shared.inputDim} → ${options.shared.outputDim}`);
      }
    }
    this.balance = { balanceWeight: options.balanceWeight ?? DEFAULT_BALANCE.balanceWeight, balanceForm: options.balanceForm ?? DEFAULT_BALANCE.balanceForm, zLossWeight: options.zLossWeight ?? DEFAULT_BALANCE.zLossWeight };
    checkNumber('MoeLayer', 'options.balanceWeight', this.balance.balanceWeight, 0);
    checkNumber('MoeLayer', 'options.zLossWeight', this.balance.zLossWeight, 0);
    this.router = this.addChild('router', router);
    this.experts = this.addChild('experts', experts);
    this.shared = options.shared ? this.addChild('shared', options.shared) : undefined;
  }

  get inputDim(): number {
    return this.experts.inputDim;
  }
  get outputDim(): number {
    return this.experts.outputDim;
  }

  apply(x: tf.Tensor, options: MoeApplyOptions): MoeForward {
    const { flat, restore, release } = flattenTokens('MoeLayer.apply', x, this.experts.inputDim);
    const T = flat.shape[0];
    const E = this.experts.numExperts;
    let mask: tf.Tensor1D | undefined;
    // Everything below is released in `finally`; on an exception the partial results are released too.
    let routing: Routing | undefined;
    let assignment: Assignment | undefined;
    let plan: DispatchPlan | undefined;
    const results: tf.Tensor[] = [];
    let ok = false;
    try {
      mask = flattenTokenMask('MoeLayer.apply', options.tokenMask, x);
      routing = this.router.route(flat, { training: options.training, state: options.state, seed: options.seed, updateState: options.updateState, task: options.task, tokenMask: mask });
      const r = routing;
      assignment = mask ? maskAssignment(toAssignment(r, T, E), mask) : toAssignment(r, T, E);
      const weights = assignment.weights;
      const rowMask = mask;
      const capacity = r.mode === 'token-choice' ? this.tokenCapacity(T, options) : r.mode === 'expert-choice' ? r.tokenIndices.shape[1] : undefined;
      const p = (plan = computeDispatchPlan(assignment.indices, E, { capacity }));
      const output = tf.tidy(() => {
        const h = this.experts.preDispatch(flat);
        const y = combine(this.experts.forwardGrouped(dispatch(h, p), p), weights, p);
        const withShared = this.shared ? (tf.add(y, this.shared.apply(flat)) as tf.Tensor2D) : y;
        // Padded rows got no expert; the mask also zeroes what the shared experts computed for them.
        return restore(rowMask ? (tf.mul(withShared, tf.expandDims(rowMask, 1)) as tf.Tensor2D) : withShared);
      });
      results.push(output);
      const aux = layerAuxLoss(r, this.router, this.balance, mask);
      results.push(aux.total, ...Object.values(aux.parts));
      const common = { keepTop1: options.keepTop1, tokenMask: mask };
      const stats = routingStats(r, r.mode === 'dense' ? common : { ...common, capacity, counts: p.counts, dropped: p.dropped });
      const state = r.mode === 'token-choice' && r.state ? tf.clone(r.state) : undefined;
      ok = true;
      return state ? { output, aux, stats, state } : { output, aux, stats };
    } finally {
      if (!ok) tf.dispose(results);
      if (plan) disposeDispatchPlan(plan);
      if (assignment) tf.dispose([assignment.indices, assignment.weights]);
      if (routing) disposeRouting(routing);
      mask?.dispose();
      release();
    }
  }

  private tokenCapacity(numTokens: number, options: MoeApplyOptions): number | undefined {
    const c = options.capacity;
    if (c === undefined) return this.router.capacity(numTokens, options.training);
    if (c === 'dropless') return undefined;
    if (!Number.isInteger(c) || c < 1) throw new Error(`MoeLayer.apply: options.capacity must be an integer ≥ 1 or 'dropless'; got ${JSON.stringify(c)}`);
    return c;
  }

  /** Parameters one token touches with k routed experts (plus the router and shared experts). */
  activeParams(k: number): number {
    return k * this.experts.paramsPerExpert() + this.router.countParams() + (this.shared?.paramsPerToken() ?? 0);
  }

  getConfig(): ModuleConfig {
    const c: ModuleConfig = { router: { ...moduleSpec(this.router) }, experts: { ...moduleSpec(this.experts) }, ...this.balance };
    if (this.shared) c.shared = { ...moduleSpec(this.shared) };
    return c;
  }
}
