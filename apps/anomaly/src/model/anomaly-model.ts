import * as tf from '@tensorflow/tfjs-core';
import { DenseFfn, Linear, Module, activate, deriveSeed, type ModuleConfig } from '@moe/core';
import { CausalTemporalConv } from './causal-temporal-conv.js';
import { DualMemory } from './dual-memory.js';
import { METHODS, parseMethod, type MethodName } from './methods.js';

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
  const { inputDim: d, hiddenDim: h, headHidden: k, classes: c } = config;
  const mlp = (i: number, o: number) => i * k + k + k * o + o;
  let n = d * h + h + (3 * h * h + h);
  if (spec.memory) n += 2 * config.memorySlots * h + (3 * h * h + h);
  if (spec.heads === 'single') n += mlp(h, 1);
  else n += c * mlp(h, 1);
  if (spec.heads === 'experts') n += mlp(h + c, c);
  return n;
}

/**
 * The snippet scorer of every method (see methods.ts): a task encoder (embedding, causal temporal conv,
 * optionally UR-DMU's dual memory fused back in) and one of three heads: one MLP; one MLP per anomaly class
 * whose maximum is the score (multi-head); or GS-MoE's class experts mixed by a gate that sees the task features
 * and every expert's logit, s_t = Σ_c w_c(t)·σ(e_c(t)).
 */
export class AnomalyModel extends Module {
  readonly kind = 'AnomalyModel';
  readonly config: AnomalyModelConfig;
  private readonly embed: Linear;
  private readonly conv: CausalTemporalConv;
  private readonly memory: DualMemory | null;
  private readonly fuse: Linear | null;
  private readonly heads: DenseFfn[];
  private readonly gate: DenseFfn | null;

  constructor(config: AnomalyModelConfig) {
    super();
    checkModelConfig(config);
    this.config = { ...config };
    const spec = METHODS[config.method];
    const { inputDim, hiddenDim, headHidden, classes, seed } = config;
    this.embed = this.addChild('embed', new Linear({ inputDim, outputDim: hiddenDim, seed: deriveSeed(seed, 'embed') }));
    this.conv = this.addChild('conv', new CausalTemporalConv({ channels: hiddenDim, kernel: 3, seed: deriveSeed(seed, 'conv') }));
    this.memory = spec.memory ? this.addChild('memory', new DualMemory({ channels: hiddenDim, slots: config.memorySlots, seed: deriveSeed(seed, 'memory') })) : null;
    this.fuse = spec.memory ? this.addChild('fuse', new Linear({ inputDim: 3 * hiddenDim, outputDim: hiddenDim, seed: deriveSeed(seed, 'fuse') })) : null;
    const headCount = spec.heads === 'single' ? 1 : classes;
    this.heads = Array.from({ length: headCount }, (_, i) => this.addChild(`head${i}`, new DenseFfn({ inputDim: hiddenDim, hiddenDim: headHidden, outputDim: 1, activation: 'gelu', seed: deriveSeed(seed, `head${i}`) })));
    this.gate = spec.heads === 'experts' ? this.addChild('gate', new DenseFfn({ inputDim: hiddenDim + classes, hiddenDim: headHidden, outputDim: classes, activation: 'gelu', seed: deriveSeed(seed, 'gate') })) : null;
  }

  get method(): MethodName {
    return this.config.method;
  }

  /** Anomaly classes the heads stand for (0 for single-head methods). */
  get expertCount(): number {
    return this.heads.length > 1 ? this.heads.length : 0;
  }

  /** x: [B, T, D] snippet features (zero rows before the start; padding after the end does not change earlier scores). */
  apply(x: tf.Tensor3D): AnomalyOutput {
    if (x.rank !== 3 || x.shape[2] !== this.config.inputDim) throw new RangeError(`AnomalyModel.apply: x must be [videos, snippets, ${this.config.inputDim}], got [${x.shape}]`);
    const [b, t] = x.shape;
    // Encoder: [f] or [f, abnormalMatch, normalMatch] (tidy keeps only the returned tensors).
    const [f, abnormalMatch, normalMatch] = tf.tidy(() => {
      const h0 = activate(this.embed.apply(x), 'gelu') as tf.Tensor3D;
      const h = tf.add(h0, activate(this.conv.apply(h0), 'gelu')) as tf.Tensor3D;
      if (this.memory === null || this.fuse === null) return [h];
      const m = this.memory.apply(h);
      const fused = tf.add(h, activate(this.fuse.apply(tf.concat([h, m.readAbnormal, m.readNormal], 2)), 'gelu'));
      return [fused, m.abnormalMatch, m.normalMatch];
    }) as [tf.Tensor3D, tf.Tensor2D?, tf.Tensor2D?];
    // Heads: [score] or [score, experts] or [score, experts, gate].
    const [score, experts, gate] = tf.tidy(() => {
      const logits = this.heads.map((head) => head.apply(f));
      if (logits.length === 1) return [tf.reshape(tf.sigmoid(logits[0]), [b, t])];
      const expertLogits = tf.concat(logits, 2);
      const expertProbs = tf.sigmoid(expertLogits);
      if (this.gate === null) return [tf.max(expertProbs, 2), expertProbs];
      const weights = tf.softmax(this.gate.apply(tf.concat([f, expertLogits], 2)));
      return [tf.sum(tf.mul(weights, expertProbs), 2), expertProbs, weights];
    }) as [tf.Tensor2D, tf.Tensor3D?, tf.Tensor3D?];
    f.dispose();
    return { score, expertScores: experts ?? null, gate: gate ?? null, abnormalMatch: abnormalMatch ?? null, normalMatch: normalMatch ?? null };
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
    const contribution = out.gate === null ? out.expertScores : tf.mul(out.gate, out.expertScores);
    return tf.add(tf.argMax(contribution, 2), 1) as tf.Tensor2D;
  });
}
