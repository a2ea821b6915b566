import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, deriveSeed, disposeRoutingStats, type ModuleConfig, type Router, type RoutingStats } from '@moe/core';
import { LayerNorm, SelfAttention } from '@moe/vision';
import { Conv2d } from './conv2d.js';
import { createFfnBlock, type FfnBlock } from './ffn-blocks.js';
import { parseDeweatherNetConfig, type DeweatherNetConfig, type DeweatherNetConfigInput } from './deweather-net-config.js';

/** What one forward returns; the caller owns every tensor. */
export interface DeweatherForward {
  /** [B, H, W, 3] restored image (not clipped, so the loss has gradients everywhere; clip for display). */
  output: tf.Tensor4D;
  /** Sum of the MoE layers' weighted auxiliary losses. */
  aux: tf.Scalar;
  /** Routing telemetry per MoE layer (empty for dense). */
  stats: RoutingStats[];
}

export function disposeDeweatherForward(f: DeweatherForward): void {
  tf.dispose([f.output, f.aux]);
  for (const s of f.stats) disposeRoutingStats(s);
}

/** The attention's projections as they are (no adapter hook). */
const plainLinear = (_site: unknown, linear: Linear, x: tf.Tensor2D): tf.Tensor2D => linear.apply(x) as tf.Tensor2D;

/** Keeps a layer's telemetry alive past the forward's tidy scope. */
function keepStats(s: RoutingStats): RoutingStats {
  for (const t of [s.expertCounts, s.assignments, s.dropped, s.unroutedTokens, s.meanEntropy, s.top1]) if (t) tf.keep(t);
  return s;
}


/**
 * A small MoFME-style restoration network (vision.md §2.1, scaled to a 2-core CPU): conv head at full
 * resolution → p×p patch tokens (no positional embedding, so any size that is a multiple of p works) →
 * `depth` pre-norm transformer layers whose FFN is the chosen MoE/dense block → linear unpatchify → conv tail on
 * [decoded, head features] → residual: output = input + Δ. Residual learning is a deviation from the released
 * MoFME (which predicts the image through a sigmoid): a network this small learns the correction much faster.
 * Weather type is never an input; the routers see only the tokens.
 */
export class DeweatherNet extends Module {
  readonly kind = 'DeweatherNet';
  readonly config: DeweatherNetConfig;
  private readonly head: Conv2d;
  private readonly embed: Linear;
  private readonly embedNorm: LayerNorm;
  private readonly attnNorms: LayerNorm[] = [];
  private readonly attns: SelfAttention[] = [];
  private readonly ffnNorms: LayerNorm[] = [];
  readonly ffns: FfnBlock[] = [];
  private readonly unembed: Linear;
  private readonly fuse: Conv2d;
  private readonly tail: Conv2d;

  constructor(input: DeweatherNetConfigInput) {
    super();
    const c = (this.config = parseDeweatherNetConfig(input));
    const s = (n: string) => deriveSeed(c.seed, n);
    this.head = this.addChild('head', new Conv2d({ inChannels: 3, outChannels: c.channels, seed: s('head') }));
    this.embed = this.addChild('embed', new Linear({ inputDim: c.patch * c.patch * c.channels, outputDim: c.dim, seed: s('embed') }));
    this.embedNorm = this.addChild('embedNorm', new LayerNorm({ dim: c.dim }));
    const sizes = { dim: c.dim, experts: c.experts, k: c.k, uarSamples: c.uarSamples, uarDropout: c.uarDropout, balanceWeight: c.balanceWeight };
    for (let l = 0; l < c.depth; l++) {
      this.attnNorms.push(this.addChild(`attnNorm${l}`, new LayerNorm({ dim: c.dim })));
      this.attns.push(this.addChild(`attn${l}`, new SelfAttention({ dim: c.dim, heads: c.heads, seed: s(`attn${l}`) })));
      this.ffnNorms.push(this.addChild(`ffnNorm${l}`, new LayerNorm({ dim: c.dim })));
      this.ffns.push(this.addChild(`ffn${l}`, createFfnBlock(c.variant, sizes, s(`ffn${l}`))));
    }
    this.unembed = this.addChild('unembed', new Linear({ inputDim: c.dim, outputDim: c.patch * c.patch * c.channels, seed: s('unembed') }));
    this.fuse = this.addChild('fuse', new Conv2d({ inChannels: 2 * c.channels, outChannels: c.channels, seed: s('fuse') }));
    this.tail = this.addChild('tail', new Conv2d({ inChannels: c.channels, outChannels: 3, seed: s('tail'), initScale: 0.1 }));
  }

  /** The MoE layers' routers (empty for the dense variant). */
  get routers(): Router[] {
    return this.ffns.map((f) => f.router).filter((r): r is Router => r !== undefined);
  }

  /**
   * images [B, H, W, 3] in [0, 1], H and W multiples of `patch`. `seed` fixes the routers' randomness of a
   * training step; `tokensOut`, when given, receives each MoE layer's normalised router input [B·N, D] (for
   * uncertainty read-outs; the caller disposes them).
   */
  apply(images: tf.Tensor4D, options: { training: boolean; seed?: number; tokensOut?: tf.Tensor2D[] }): DeweatherForward {
    const c = this.config;
    if (images.rank !== 4 || images.shape[3] !== 3) throw new Error(`DeweatherNet.apply: images must be [B, H, W, 3]; got [${images.shape}]`);
    const [B, H, W] = images.shape;
    const p = c.patch;
    if (H % p !== 0 || W % p !== 0) throw new Error(`DeweatherNet.apply: image height and width must be multiples of patch ${p}; got ${H}×${W}`);
    const gh = H / p;
    const gw = W / p;
    const N = gh * gw;
    const stats: RoutingStats[] = [];
    const auxes: tf.Scalar[] = [];
    try {
      const output = tf.tidy(() => {
        const x = tf.sub(tf.mul(images, 2), 1) as tf.Tensor4D;
        const f = tf.relu(this.head.apply(x)) as tf.Tensor4D;
        const patches = tf.reshape(tf.transpose(tf.reshape(f, [B, gh, p, gw, p, c.channels]), [0, 1, 3, 2, 4, 5]), [B * N, p * p * c.channels]);
        let t = this.embedNorm.apply(tf.reshape(this.embed.apply(patches), [B, N, c.dim])) as tf.Tensor3D;
        for (let l = 0; l < c.depth; l++) {
          t = tf.add(t, this.attns[l].apply(this.attnNorms[l].apply(t), plainLinear)) as tf.Tensor3D;
          const u = tf.reshape(this.ffnNorms[l].apply(t), [B * N, c.dim]) as tf.Tensor2D;
          if (options.tokensOut && this.ffns[l].router) options.tokensOut.push(tf.keep(tf.clone(u)));
          const y = this.ffns[l].apply(u, { training: options.training, seed: options.seed === undefined ? undefined : deriveSeed(options.seed, `layer${l}`) });
          if (y.stats) stats.push(keepStats(y.stats));
          auxes.push(tf.keep(y.aux));
          t = tf.add(t, tf.reshape(y.output, [B, N, c.dim])) as tf.Tensor3D;
        }
        const decoded = tf.reshape(tf.transpose(tf.reshape(this.unembed.apply(t), [B, gh, gw, p, p, c.channels]), [0, 1, 3, 2, 4, 5]), [B, H, W, c.channels]) as tf.Tensor4D;
        const fused = tf.relu(this.fuse.apply(tf.concat([decoded, f], 3) as tf.Tensor4D)) as tf.Tensor4D;
        return tf.add(images, this.tail.apply(fused)) as tf.Tensor4D;
      });
      const aux = auxes.length ? (tf.tidy(() => tf.addN(auxes)) as tf.Scalar) : tf.scalar(0);
      return { output, aux, stats };
    } catch (e) {
      for (const s of stats) disposeRoutingStats(s);
      throw e;
    } finally {
      tf.dispose(auxes);
    }
  }

  /** Parameters a token touches per layer's FFN, summed over layers, plus every non-FFN parameter. */
  activeParams(): number {
    const ffnTotal = this.ffns.reduce((s, f) => s + f.countParams(), 0);
    return this.countParams() - ffnTotal + this.ffns.reduce((s, f) => s + f.activeParams(), 0);
  }

  getConfig(): ModuleConfig {
    return { ...this.config };
  }
}
