import type { ModuleConfig } from '../module/module.js';
import { checkKnownKeys } from './validate.js';
import { TopKRouter, TOP_K_FIELDS, type TopKRouterConfig } from './top-k-router.js';

/** Configuration of {@link SwitchRouter}: a top-k router config without `k` and `normalize` (fixed to 1 and false). */
export type SwitchRouterConfig = Omit<TopKRouterConfig, 'k' | 'normalize'>;

const SWITCH_FIELDS = TOP_K_FIELDS.filter((f) => f !== 'k' && f !== 'normalize');

/**
 * Switch Transformer top-1 router (Fedus et al. 2022): the one selected expert is weighted by its softmax
 * probability over all experts (never renormalised: that would make the weight the constant 1). Defaults as
 * in flaxformer's switch_base gin: capacity factor 1.25 train / 2.0 eval, minimum capacity 4, no jitter.
 */
export class SwitchRouter extends TopKRouter {
  override readonly kind: string = 'SwitchRouter';

  constructor(config: SwitchRouterConfig) {
    // Checked here because k and normalize are added below and must not come from the user.
    checkKnownKeys('SwitchRouter', config ?? {}, SWITCH_FIELDS);
    super({ ...config, k: 1, normalize: false }, 'SwitchRouter', [...SWITCH_FIELDS, 'k', 'normalize']);
  }

  override getConfig(): ModuleConfig {
    const { k: _k, normalize: _normalize, ...rest } = super.getConfig();
    return rest;
  }
}
