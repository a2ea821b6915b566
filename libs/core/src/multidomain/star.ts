import * as tf from '@tensorflow/tfjs-core';
import { tidyObject } from '../experts/tidy-object.js';
import type { ForwardContext } from '../mlp/forward-context.js';
import { Mlp } from '../mlp/mlp.js';
import { Module, type ModuleConfig } from '../module/module.js';
import { deriveSeed } from '../module/seed.js';
import { checkBoolean, checkInt, checkIntArray, checkOneOf } from '../routers/validate.js';
import { PartitionedNorm } from './partitioned-norm.js';
import { applyRouted, oneHotRows, type RoutedDispatch } from './routed-experts.js';
import { StarTowers } from './star-towers.js';

/** Configuration of {@link Star}. */
export interface StarConfig {
  inputDim: number;
  numDomains: number;
  /** Star tower layer widths, the last one the output (e.g. one logit per task). */
  sizes: number[];
  /** Partitioned normalisation of the tower input (default true). */
  partitionedNorm?: boolean;
  /** Hidden widths of the auxiliary network whose output is added (default [] = a linear aux net); null = no aux net. */
  auxHidden?: number[] | null;
  /** Default 'sparse'. */
  dispatch?: RoutedDispatch;
  seed?: number;
}

/**
 * STAR (Sheng et al., CIKM 2021): partitioned normalisation, one star-topology tower per domain (W_shared ⊙ W_d
 * at every layer), and an auxiliary network on the raw input whose output is added: s = s_star + s_aux. The
 * final layer stays linear — unlike the Scenario-Wise-Rec version, which passes the logit through BN + ReLU.
 */
export class Star extends Module {
  readonly kind = 'Star';
  readonly config: Required<Omit<StarConfig, 'auxHidden'>> & { auxHidden: number[] | null };
  readonly towers: StarTowers;
  private readonly norm?: PartitionedNorm;
  private readonly aux?: Mlp;

  constructor(config: StarConfig) {
    super();
    this.config = { partitionedNorm: true, auxHidden: [], dispatch: 'sparse', seed: 0, ...config };
    const c = this.config;
    checkInt('Star', 'inputDim', c.inputDim);
    checkInt('Star', 'numDomains', c.numDomains);
    checkBoolean('Star', 'partitionedNorm', c.partitionedNorm);
    checkOneOf('Star', 'dispatch', c.dispatch, ['sparse', 'dense']);
    if (c.auxHidden !== null) checkIntArray('Star', 'auxHidden', c.auxHidden);
    if (c.partitionedNorm) this.norm = this.addChild('norm', new PartitionedNorm({ channels: c.inputDim, numDomains: c.numDomains }));
    this.towers = this.addChild('towers', new StarTowers({ inputDim: c.inputDim, sizes: c.sizes, numTowers: c.numDomains, seed: deriveSeed(c.seed, 'towers') }));
    if (c.auxHidden !== null) this.aux = this.addChild('aux', new Mlp({ inputDim: c.inputDim, sizes: [...c.auxHidden, this.towers.outputDim], linearOutput: true, seed: deriveSeed(c.seed, 'aux') }));
  }

  /** x [B, inputDim], domains [B, 1] int32 → [B, sizes.at(-1)]. */
  apply(x: tf.Tensor2D, domains: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    return tidyObject(() => {
      const z = this.norm ? this.norm.apply(x, oneHotRows(domains, this.config.numDomains), ctx) : x;
      const star = applyRouted(this.towers, z, domains, this.config.dispatch);
      return this.aux ? (tf.add(star, this.aux.apply(x, ctx)) as tf.Tensor2D) : star;
    });
  }

  getConfig(): ModuleConfig {
    return JSON.parse(JSON.stringify(this.config)) as ModuleConfig;
  }
}
