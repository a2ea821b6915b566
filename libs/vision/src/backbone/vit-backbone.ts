import * as tf from '@tensorflow/tfjs-core';
import { Module, deriveSeed, type Linear, type ModuleConfig } from '@moe/core';
import { checkFinite, checkPositiveInt, checkShape } from './check-args.js';
import type { BlockHooks, LinearSite } from './block-hooks.js';
import { LayerNorm } from './layer-norm.js';
import { PatchEmbedding } from './patch-embedding.js';
import { VitBlock } from './vit-block.js';

/** Configuration of {@link VitBackbone}. */
export interface VitBackboneConfig {
  /** Side of the square input tiles the positional embedding is laid out for. */
  imageSize: number;
  patchSize: number;
  /** Input bands (3 for RGB or IRRG). */
  channels: number;
  embedDim: number;
  depth: number;
  heads: number;
  mlpRatio?: number;
  layerScaleInit?: number;
  /** Per-band mean and std the pixels (in [0, 1]) are normalised with; part of a pretrained backbone. */
  pixelMean?: number[];
  pixelStd?: number[];
  seed?: number;
}

/**
 * A small ViT feature extractor for dense prediction: patch embedding + learned positional embedding,
 * `depth` pre-norm blocks with layer scale, final LayerNorm, output as the token grid [B, Gh, Gw, D]
 * (no cls token, so every token is a location). {@link BlockHooks} let adapters run after every block and
 * add updates inside its linears, which is how frozen-backbone fine-tuning methods attach.
 */
export class VitBackbone extends Module {
  readonly kind = 'VitBackbone';
  readonly config: Required<VitBackboneConfig>;
  readonly gridSize: number;
  readonly patchEmbedding: PatchEmbedding;
  readonly blocks: VitBlock[];
  readonly norm: LayerNorm;
  private readonly positional: tf.Variable;

  constructor(config: VitBackboneConfig) {
    super();
    const owner = 'VitBackbone';
    const imageSize = checkPositiveInt(owner, 'imageSize', config.imageSize);
    const patchSize = checkPositiveInt(owner, 'patchSize', config.patchSize);
    if (imageSize % patchSize !== 0) throw new Error(`${owner}: imageSize must be a multiple of patchSize; got ${imageSize} and ${patchSize}`);
    const channels = checkPositiveInt(owner, 'channels', config.channels);
    const pixelMean = config.pixelMean ?? new Array<number>(channels).fill(0.5);
    const pixelStd = config.pixelStd ?? new Array<number>(channels).fill(0.25);
    for (const [name, v] of [['pixelMean', pixelMean], ['pixelStd', pixelStd]] as const) {
      if (!Array.isArray(v) || v.length !== channels) throw new Error(`${owner}: ${name} must have one value per channel (${channels}); got ${JSON.stringify(v)}`);
      v.forEach((x, i) => checkFinite(owner, `${name}[${i}]`, x));
    }
    if (pixelStd.some((s) => s <= 0)) throw new Error(`${owner}: pixelStd must be positive; got ${JSON.stringify(pixelStd)}`);
    this.config = {
      imageSize,
      patchSize,
      channels,
      embedDim: checkPositiveInt(owner, 'embedDim', config.embedDim),
      depth: checkPositiveInt(owner, 'depth', config.depth),
      heads: checkPositiveInt(owner, 'heads', config.heads),
      mlpRatio: checkPositiveInt(owner, 'mlpRatio', config.mlpRatio ?? 4),
      layerScaleInit: checkFinite(owner, 'layerScaleInit', config.layerScaleInit ?? 0.1),
      pixelMean: [...pixelMean],
      pixelStd: [...pixelStd],
      seed: config.seed ?? 0,
    };
    const c = this.config;
    this.gridSize = imageSize / patchSize;
    this.patchEmbedding = this.addChild('patchEmbedding', new PatchEmbedding({ patchSize, channels, embedDim: c.embedDim, seed: deriveSeed(c.seed, 'patchEmbedding') }));
    this.positional = this.addParam('positional', tf.randomNormal([1, this.gridSize * this.gridSize, c.embedDim], 0, 0.02, 'float32', deriveSeed(c.seed, 'positional')));
    this.blocks = [];
    for (let l = 0; l < c.depth; l++) {
      this.blocks.push(this.addChild(`block${l}`, new VitBlock({ dim: c.embedDim, heads: c.heads, mlpRatio: c.mlpRatio, layerScaleInit: c.layerScaleInit, seed: deriveSeed(c.seed, `block${l}`) })));
    }
    this.norm = this.addChild('norm', new LayerNorm({ dim: c.embedDim }));
  }

  get embedDim(): number {
    return this.config.embedDim;
  }
  get depth(): number {
    return this.config.depth;
  }

  /** Checks a batch of tiles: float32 [B, imageSize, imageSize, channels]. */
  checkImages(owner: string, images: tf.Tensor): void {
    const s = this.config.imageSize;
    checkShape(owner, 'images', images.shape, [null, s, s, this.config.channels], images.dtype);
  }

  /** Images [B, S, S, C] with pixels in [0, 1] → final token grid [B, G, G, D] (G = S / patchSize). */
  apply(images: tf.Tensor4D, hooks: BlockHooks = {}): tf.Tensor4D {
    this.checkImages('VitBackbone.apply', images);
    const B = images.shape[0];
    const G = this.gridSize;
    const D = this.config.embedDim;
    return tf.tidy(() => {
      const normalised = tf.div(tf.sub(images, this.config.pixelMean), this.config.pixelStd) as tf.Tensor4D;
      let tokens = tf.add(this.patchEmbedding.apply(normalised), this.positional) as tf.Tensor3D;
      for (let l = 0; l < this.blocks.length; l++) {
        const linear = (site: LinearSite, layer: Linear, x: tf.Tensor2D): tf.Tensor2D => {
          const y = layer.apply(x) as tf.Tensor2D;
          const delta = hooks.linearDelta?.(l, site, x);
          return delta ? tf.add(y, delta) : y;
        };
        tokens = this.blocks[l].apply(tokens, linear);
        if (hooks.afterBlock) {
          const adapted = hooks.afterBlock(l, tf.reshape(tokens, [B, G, G, D]) as tf.Tensor4D);
          checkShape('VitBackbone.apply', `afterBlock(${l}) result`, adapted.shape, [B, G, G, D]);
          tokens = tf.reshape(adapted, [B, G * G, D]) as tf.Tensor3D;
        }
      }
      return tf.reshape(this.norm.apply(tokens), [B, G, G, D]) as tf.Tensor4D;
    });
  }

  getConfig(): ModuleConfig {
    return { ...this.config };
  }
}
