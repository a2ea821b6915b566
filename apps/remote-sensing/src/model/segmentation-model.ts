import * as tf from '@tensorflow/tfjs-core';
import { Module, type ModuleConfig } from '@moe/core';
import { SegmentationHead, VitBackbone, type VitBackboneConfig } from '@moe/vision';
import { createMethod, type MethodSpec } from './methods/create-method.js';
import type { MethodAdapters } from './methods/method-adapters.js';

/** Everything needed to rebuild a {@link SegmentationModel}. */
export interface SegmentationModelConfig {
  backbone: VitBackboneConfig;
  head: { hiddenDim: number; numClasses: number; seed?: number };
  method: MethodSpec;
}

/** Parameter counts of a model under one method (vision.md §6.3: count what trains, and what is allocated). */
export interface ParameterCounts {
  backbone: number;
  head: number;
  /** Parameters the method adds to the backbone (all of them are used in every forward here). */
  added: number;
  /** What the optimizer updates: added + head (+ backbone for full fine-tuning). */
  trainable: number;
  /** Everything the model holds: backbone + head + added. */
  allocated: number;
}

/** A forward with the router maps of every layer that has a router (for the dashboard). */
export interface ForwardWithMaps {
  logits: tf.Tensor4D;
  /** Per layer: [B, G, G, 3] weights over (full, low, high) adapters, or undefined for that layer/method. */
  routerMaps: (tf.Tensor4D | undefined)[];
}

/**
 * Frozen ViT backbone + light decoder head + one fine-tuning method's adapters. `trainableVariables()` is
 * what the method trains: the adapters and the head, plus the backbone only for full fine-tuning.
 */
export class SegmentationModel extends Module {
  readonly kind = 'RemoteSensingSegmenter';
  readonly backbone: VitBackbone;
  readonly head: SegmentationHead;
  readonly adapters: MethodAdapters;
  private readonly settings: SegmentationModelConfig;

  constructor(config: SegmentationModelConfig) {
    super();
    this.settings = structuredClone(config);
    this.backbone = this.addChild('backbone', new VitBackbone(config.backbone));
    this.head = this.addChild('head', new SegmentationHead({ inputDim: this.backbone.embedDim, hiddenDim: config.head.hiddenDim, numClasses: config.head.numClasses, upsample: this.backbone.config.patchSize, seed: config.head.seed ?? 0 }));
    this.adapters = this.addChild('adapters', createMethod(config.method, { channels: this.backbone.embedDim, depth: this.backbone.depth, mlpRatio: this.backbone.config.mlpRatio }));
  }

  get method(): MethodSpec {
    return this.settings.method;
  }
  get numClasses(): number {
    return this.head.numClasses;
  }
  get tileSize(): number {
    return this.backbone.config.imageSize;
  }

  /** Tiles [B, S, S, C] in [0, 1] → class logits [B, S, S, K]. */
  apply(images: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.head.apply(this.backbone.apply(images, this.adapters.hooks())));
  }

  applyWithRouterMaps(images: tf.Tensor4D): ForwardWithMaps {
    const inner = this.adapters.hooks();
    const routerMaps: (tf.Tensor4D | undefined)[] = [];
    const logits = tf.tidy(() => {
      const hooks = {
        ...inner,
        afterBlock: (l: number, grid: tf.Tensor4D) => {
          const maps = this.adapters.routerWeights(l, grid);
          routerMaps.push(maps ? tf.keep(maps) : undefined);
          return inner.afterBlock ? inner.afterBlock(l, grid) : grid;
        },
      };
      return this.head.apply(this.backbone.apply(images, hooks));
    });
    return { logits, routerMaps };
  }

  override trainableVariables(): tf.Variable[] {
    const out = [...this.adapters.trainableVariables(), ...this.head.trainableVariables()];
    if (this.settings.method.kind === 'full-finetune') out.unshift(...this.backbone.trainableVariables());
    return out;
  }

  parameterCounts(): ParameterCounts {
    const backbone = this.backbone.countParams();
    const head = this.head.countParams();
    const added = this.adapters.countParams();
    const trainable = this.trainableVariables().reduce((n, v) => n + v.size, 0);
    return { backbone, head, added, trainable, allocated: backbone + head + added };
  }

  /** Loads the pretrained backbone and head weights (names as in {@link VitBackbone} / {@link SegmentationHead}). */
  loadPretrained(backbone: Record<string, tf.Tensor>, head: Record<string, tf.Tensor>): void {
    this.backbone.setWeights(backbone);
    this.head.setWeights(head);
  }

  getConfig(): ModuleConfig {
    return structuredClone(this.settings) as unknown as ModuleConfig;
  }
}
