import type { EncodedLayout } from '../features/encoded-batch.js';
import type { CtrModel } from './ctr-model.js';
import { parseModelConfig, type ModelConfig, type ModelKind } from './model-config.js';
import { AdaptDhmModel } from './models/adaptdhm.js';
import { HomeModel } from './models/home.js';
import { MmoeModel } from './models/mmoe.js';
import { PerDomainTowersModel } from './models/per-domain-towers.js';
import { PleModel } from './models/ple.js';
import { SharedBottomModel } from './models/shared-bottom.js';
import { StarModel } from './models/star.js';

const BUILDERS: Record<ModelKind, new (layout: EncodedLayout, config: ModelConfig) => CtrModel> = {
  'shared-bottom': SharedBottomModel,
  'per-domain': PerDomainTowersModel,
  mmoe: MmoeModel,
  ple: PleModel,
  star: StarModel,
  adaptdhm: AdaptDhmModel,
  home: HomeModel,
};

/** Builds a model from a (validated) config for the processor's layout. */
export function createModel(layout: EncodedLayout, config: unknown): CtrModel {
  const cfg = parseModelConfig(config);
  return new BUILDERS[cfg.kind](layout, cfg);
}
