import * as tf from '@tensorflow/tfjs-core';
import {
  DenseFfn, FfnExperts, FilmExperts, Module, MoeLayer, TopKRouter, UncertaintyCalibratedRouter, UncertaintyRouter, deriveSeed, disposeRoutingStats,
  type ModuleConfig, type Router, type RoutingStats,
} from '@moe/core';

/**
 * The FFN variants of the restoration network (vision.md §2.1, §6 item 4):
 * - `mofme`: MoFME, FiLM experts on one shared GLU block + the working uncertainty-aware router, then the shared FFN;
 * - `mofme-topk`: the same block with a plain top-k router (ablation: what UaR adds);
 * - `mofme-uar-core`: the same block with @moe/core's `UncertaintyRouter` as published in the paper's form (ablation);
 * - `moe`: conventional MoE-FFN, E separate GELU FFN experts, plain top-k router;
 * - `dense`: one GELU FFN.
 */
export const FFN_VARIANTS = ['mofme', 'mofme-topk', 'mofme-uar-core', 'moe', 'dense'] as const;
export type FfnVariant = (typeof FFN_VARIANTS)[number];

export function isFfnVariant(v: unknown): v is FfnVariant {
  return typeof v === 'string' && (FFN_VARIANTS as readonly string[]).includes(v);
}

/** Sizes of the FFN block, shared by every variant so they can be matched. */
export interface FfnSizes {
  dim: number;
  experts: number;
  k: number;
  /** MC samples and dropout of the uncertainty routers. */
  uarSamples: number;
  uarDropout: number;
  /** Balance loss weight of the MoE layers (Switch; default 0.01 — MoFME's code uses none, so the value is ours). */
  balanceWeight: number;
}

export interface FfnForward {
  output: tf.Tensor2D;
  /** Weighted auxiliary losses (0 for dense). */
  aux: tf.Scalar;
  stats?: RoutingStats;
}

export abstract class FfnBlock extends Module {
  abstract apply(x: tf.Tensor2D, options: { training: boolean; seed?: number }): FfnForward;
  /** The router, for telemetry and uncertainty (undefined for dense). */
  abstract readonly router: Router | undefined;
  /** Parameters one token touches (router + k experts + shared parts). */
  abstract activeParams(): number;
}

/**
 * Hidden widths that equalise active compute: MoFME per token runs the GLU (2·D·D) and the shared FFN (2·D·4D),
 * i.e. 10·D² multiply-adds; a top-k MoE with expert width H runs 2·k·D·H, so H = 5·D/k; the dense FFN of equal
 * parameters to the MoFME block has width H_d with H_d·(2D + 1) + D = params(MoFME block).
 */
export function matchedWidths(sizes: FfnSizes): { filmHidden: number; sharedHidden: number; moeHidden: number } {
  return { filmHidden: sizes.dim, sharedHidden: 4 * sizes.dim, moeHidden: Math.round((5 * sizes.dim) / sizes.k) };
}

/** MoFME: y = SharedFFN(Σ_e r_e(x)·(γ_e ⊙ h + β_e)), h = GELU(x·Wa) ⊙ (x·Wb) computed once per token. */
export class MofmeFfnBlock extends FfnBlock {
  readonly kind = 'MofmeFfnBlock';
  readonly layer: MoeLayer;
  readonly shared: DenseFfn;
  private readonly film: FilmExperts;
  constructor(readonly variant: 'mofme' | 'mofme-topk' | 'mofme-uar-core', readonly sizes: FfnSizes, readonly seed: number) {
    super();
    const { filmHidden, sharedHidden } = matchedWidths(sizes);
    const s = (n: string) => deriveSeed(seed, n);
    const base = { inputDim: sizes.dim, numExperts: sizes.experts, seed: s('router') };
    const router: Router =
      variant === 'mofme'
        ? new UncertaintyCalibratedRouter({ ...base, k: sizes.k, samples: sizes.uarSamples, dropout: sizes.uarDropout })
        : variant === 'mofme-uar-core'
          ? new UncertaintyRouter({ ...base, k: sizes.k, samples: sizes.uarSamples, dropout: sizes.uarDropout, dropless: true })
          : new TopKRouter({ ...base, k: sizes.k, dropless: true });
    const experts = new FilmExperts({ numExperts: sizes.experts, inputDim: sizes.dim, hiddenDim: filmHidden, modulation: 'vector', seed: s('film') });
    this.film = experts;
    this.layer = this.addChild('layer', new MoeLayer(router, experts, { balanceWeight: sizes.balanceWeight }));
    this.shared = this.addChild('shared', new DenseFfn({ inputDim: filmHidden, hiddenDim: sharedHidden, outputDim: sizes.dim, activation: 'gelu', seed: s('shared') }));
  }
  get router(): Router {
    return this.layer.router;
  }
  apply(x: tf.Tensor2D, options: { training: boolean; seed?: number }): FfnForward {
    const f = this.layer.apply(x, options);
    try {
      const output = tf.tidy(() => this.shared.apply(f.output) as tf.Tensor2D);
      for (const t of Object.values(f.aux.parts)) t.dispose();
      return { output, aux: f.aux.total as tf.Scalar, stats: f.stats };
    } catch (e) {
      disposeRoutingStats(f.stats);
      throw e;
    } finally {
      f.output.dispose();
    }
  }
  activeParams(): number {
    return this.layer.activeParams(this.sizes.k) + this.film.sharedParams() + this.shared.countParams();
  }
  getConfig(): ModuleConfig {
    return { variant: this.variant, seed: this.seed };
  }
}

/** Conventional MoE-FFN: E GELU experts of width 5D/k, top-k router. */
export class MoeFfnBlock extends FfnBlock {
  readonly kind = 'MoeFfnBlock';
  readonly layer: MoeLayer;
  constructor(readonly sizes: FfnSizes, readonly seed: number) {
    super();
    const { moeHidden } = matchedWidths(sizes);
    const router = new TopKRouter({ inputDim: sizes.dim, numExperts: sizes.experts, k: sizes.k, dropless: true, seed: deriveSeed(seed, 'router') });
    const experts = new FfnExperts({ numExperts: sizes.experts, inputDim: sizes.dim, hiddenDim: moeHidden, activation: 'gelu', seed: deriveSeed(seed, 'experts') });
    this.layer = this.addChild('layer', new MoeLayer(router, experts, { balanceWeight: sizes.balanceWeight }));
  }
  get router(): Router {
    return this.layer.router;
  }
  apply(x: tf.Tensor2D, options: { training: boolean; seed?: number }): FfnForward {
    const f = this.layer.apply(x, options);
    for (const t of Object.values(f.aux.parts)) t.dispose();
    return { output: f.output as tf.Tensor2D, aux: f.aux.total as tf.Scalar, stats: f.stats };
  }
  activeParams(): number {
    return this.layer.activeParams(this.sizes.k);
  }
  getConfig(): ModuleConfig {
    return { variant: 'moe', seed: this.seed };
  }
}

/** Dense GELU FFN with as many parameters as the MoFME block of the same sizes. */
export class DenseFfnBlock extends FfnBlock {
  readonly kind = 'DenseFfnBlock';
  readonly ffn: DenseFfn;
  readonly router = undefined;
  constructor(readonly sizes: FfnSizes, readonly seed: number) {
    super();
    const reference = new MofmeFfnBlock('mofme-topk', sizes, 0);
    const target = reference.countParams();
    reference.dispose();
    const hidden = Math.max(1, Math.round((target - sizes.dim) / (2 * sizes.dim + 1)));
    this.ffn = this.addChild('ffn', new DenseFfn({ inputDim: sizes.dim, hiddenDim: hidden, activation: 'gelu', seed: deriveSeed(seed, 'ffn') }));
  }
  apply(x: tf.Tensor2D): FfnForward {
    return { output: this.ffn.apply(x) as tf.Tensor2D, aux: tf.scalar(0) };
  }
  activeParams(): number {
    return this.ffn.countParams();
  }
  getConfig(): ModuleConfig {
    return { variant: 'dense', seed: this.seed };
  }
}

export function createFfnBlock(variant: FfnVariant, sizes: FfnSizes, seed: number): FfnBlock {
  switch (variant) {
    case 'mofme':
    case 'mofme-topk':
    case 'mofme-uar-core':
      return new MofmeFfnBlock(variant, sizes, seed);
    case 'moe':
      return new MoeFfnBlock(sizes, seed);
    case 'dense':
      return new DenseFfnBlock(sizes, seed);
  }
}
