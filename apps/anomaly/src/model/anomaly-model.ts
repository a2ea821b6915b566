import * as tf from '@tensorflow/tfjs-core';
import { GatedExpertHeads, Linear, Module, activate, deriveSeed, gatedExpertHeadsParamCount, topContributingExpert, type ExpertHeadMix, type GatedExpertHeadsConfig, type ModuleConfig } from '@moe/core';
import { CausalTemporalConv } from './causal-temporal-conv.js';
import { DualMemory } from './dual-memory.js';
import { METHODS, parseMethod, type HeadKind, type MethodName } from './methods.js';

export interface AnomalyModelConfig {
  method: MethodName;
  /** Snippet feature dimension D. */
  inputDim: number;
  /** Width H of the task encoder. */
  hiddenDim: number;
  /** Hidden width of every scoring head / expert MLP and of the gate. */
  headHidden: number;
  /** Slots per memory bank (ignored without memory). */
  memorySlots: number;
  /** Number of anomaly classes C (experts / heads; ignored by single-head methods). */
  classes: number;
  seed: number;
}

/** Everything a forward pass gives; the caller disposes it ({@link disposeOutput}). */
export interface AnomalyOutput {
  /** Anomaly probability per snippet, [B, T]. */
  score: tf.Tensor2D;
  /** Per-class expert (or head) probabilities, [B, T, C]; null for single-head methods. */
  expertScores: tf.Tensor3D | null;
  /** Gate weights over the experts, [B, T, C] (rows sum to 1); null without a gate. */
  gate: tf.Tensor3D | null;
  /** Memory matches ([B, T]) for the memory losses; null without memory. */
  abnormalMatch: tf.Tensor2D | null;
  normalMatch: tf.Tensor2D | null;
}

export function disposeOutput(out: AnomalyOutput): void {
  for (const t of [out.score, out.expertScores, out.gate, out.abnormalMatch, out.normalMatch]) t?.dispose();
}

export function checkModelConfig(config: AnomalyModelConfig): void {
  parseMethod(config.method, 'config.method');
  for (const k of ['inputDim', 'hiddenDim', 'headHidden', 'classes'] as const) {
    if (!Number.isInteger(config[k]) || config[k] < 1) throw new RangeError(`config.${k}: expected a positive integer, got ${config[k]}`);
  }
  if (!Number.isInteger(config.memorySlots) || config.memorySlots < 0) throw new RangeError(`config.memorySlots: expected a non-negative integer, got ${config.memorySlots}`);
  if (METHODS[config.method].memory && config.memorySlots < 1) throw new RangeError(`config.memorySlots: method '${config.method}' has a memory, expected ≥ 1 slot`);
}

/** Trainable parameters of a configuration, without building it (for matching capacities). */
export function countModelParams(config: AnomalyModelConfig): number {
  const spec = METHODS[config.method];
  const { inputDim: d, hiddenDim: h } = config;
  let n = d * h + h + (3 * h * h + h);
  if (spec.memory) n += 2 * config.memorySlots * h + (3 * h * h + h);
  return n + gatedExpertHeadsParamCount(headsConfig(config));
}

const HEAD_MIX: Record<HeadKind, ExpertHeadMix> = { single: 'single', multi: 'max', experts: 'gate' };

/** The scoring heads of a method: @moe/core's GatedExpertHeads on the task features. */
function headsConfig(config: AnomalyModelConfig): GatedExpertHeadsConfig {
  const mix = HEAD_MIX[METHODS[config.method].heads];
  // The model's own seed: the heads derive 'head<c>' and 'gate' from it, as the model did when it owned them.
  return { inputDim: config.hiddenDim, hiddenDim: config.headHidden, numExperts: mix === 'single' ? 1 : config.classes, mix, activation: 'gelu', seed: config.seed };
}

/** The heads' child name; their weights are listed without it (see {@link AnomalyModel.namedVariables}). */
const HEADS = 'heads';

/**
 * The snippet scorer of every method (see methods.ts): a task encoder (embedding, causal temporal conv,
 * optionally UR-DMU's dual memory fused back in) and @moe/core's `GatedExpertHeads` on its features: one MLP;
 * one MLP per anomaly class whose maximum is the score (multi-head); or GS-MoE's class experts mixed by a gate
 * that sees the task features and every expert's logit, s_t = Σ_c w_c(t)·σ(e_c(t)).
 */
export class AnomalyModel extends Module {
  readonly kind = 'AnomalyModel';
  readonly config: AnomalyModelConfig;
  private readonly embed: Linear;
  private readonly conv: CausalTemporalConv;
  private readonly memory: DualMemory | null;
  private readonly fuse: Linear | null;
  private readonly heads: GatedExpertHeads;

  constructor(config: AnomalyModelConfig) {
    super();
    checkModelConfig(config);
    this.config = { ...config };
    const spec = METHODS[config.method];
    const { inputDim, hiddenDim, seed } = config;
    this.embed = this.addChild('embed', new Linear({ inputDim, outputDim: hiddenDim, seed: deriveSeed(seed, 'embed') }));
    this.conv = this.addChild('conv', new CausalTemporalConv({ channels: hiddenDim, kernel: 3, seed: deriveSeed(seed, 'conv') }));
    this.memory = spec.memory ? this.addChild('memory', new DualMemory({ channels: hiddenDim, slots: config.memorySlots, seed: deriveSeed(seed, 'memory') })) : null;
    this.fuse = spec.memory ? this.addChild('fuse', new Linear({ inputDim: 3 * hiddenDim, outputDim: hiddenDim, seed: deriveSeed(seed, 'fuse') })) : null;
    this.heads = this.addChild(HEADS, new GatedExpertHeads(headsConfig(config)));
  }

  get method(): MethodName {
    return this.config.method;
  }

  /** Anomaly classes the heads stand for (0 for single-head methods). */
  get expertCount(): number {
    return this.heads.mix === 'single' ? 0 : this.heads.numExperts;
  }

  /**
   * Weights keep the names the model had when it owned its heads ('head0.w1', 'gate.w1', not
   * 'heads.head0.w1'), so the committed artifacts and every saved checkpoint still load.
   */
  override namedVariables(prefix = ''): Map<string, tf.Variable> {
    const inner = `${prefix}${HEADS}.`;
    const out = new Map<string, tf.Variable>();
    for (const [k, v] of super.namedVariables(prefix)) out.set(k.startsWith(inner) ? prefix + k.slice(inner.length) : k, v);
    return out;
  }

  /** x: [B, T, D] snippet features (zero rows before the start; padding after the end does not change earlier scores). */
  apply(x: tf.Tensor3D): AnomalyOutput {
    if (x.rank !== 3 || x.shape[2] !== this.config.inputDim) throw new RangeError(`AnomalyModel.apply: x must be [videos, snippets, ${this.config.inputDim}], got [${x.shape}]`);
    // Encoder: [f] or [f, abnormalMatch, normalMatch] (tidy keeps only the returned tensors).
    const [f, abnormalMatch, normalMatch] = tf.tidy(() => {
      const h0 = activate(this.embed.apply(x), 'gelu') as tf.Tensor3D;
      const h = tf.add(h0, activate(this.conv.apply(h0), 'gelu')) as tf.Tensor3D;
      if (this.memory === null || this.fuse === null) return [h];
      const m = this.memory.apply(h);
      const fused = tf.add(h, activate(this.fuse.apply(tf.concat([h, m.readAbnormal, m.readNormal], 2)), 'gelu'));
      return [fused, m.abnormalMatch, m.normalMatch];
    }) as [tf.Tensor3D, tf.Tensor2D?, tf.Tensor2D?];
    const heads = this.heads.apply(f);
    f.dispose();
    return {
      score: heads.score as tf.Tensor2D,
      expertScores: heads.expertProbs as tf.Tensor3D | null,
      gate: heads.gate as tf.Tensor3D | null,
      abnormalMatch: abnormalMatch ?? null,
      normalMatch: normalMatch ?? null,
    };
  }

  getConfig(): ModuleConfig {
    return { ...this.config };
  }
}

/**
 * Which expert "fired" at each snippet: the class (1-based, as in the dataset's class list) with the largest
 * contribution w_c·σ(e_c) (GS-MoE) or head probability (multi-head); 0 for single-head methods. [B, T] int32.
 */
export function topExpert(out: AnomalyOutput): tf.Tensor2D {
  return tf.tidy(() => {
    if (out.expertScores === null) return tf.cast(tf.zerosLike(out.score), 'int32') as tf.Tensor2D;
    return tf.add(topContributingExpert(out.expertScores, out.gate), 1) as tf.Tensor2D;
  });
}
