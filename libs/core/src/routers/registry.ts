import { checkConfigFields, checkFieldsAgainstDescription } from '../config/config-fields.js';
import { MoeConfigError } from '../errors/moe-error.js';
import type { ModuleConfig } from '../module/module.js';
import type { Router } from './router.js';
import { SoftmaxRouter, type SoftmaxRouterConfig } from './softmax-router.js';
import { TopKRouter, type TopKRouterConfig } from './top-k-router.js';
import { SwitchRouter, type SwitchRouterConfig } from './switch-router.js';
import { ExpertChoiceRouter, type ExpertChoiceRouterConfig } from './expert-choice-router.js';
import { TopPRouter, type TopPRouterConfig } from './top-p-router.js';
import { NullExpertRouter, type NullExpertRouterConfig } from './null-expert-router.js';
import { DenseToSparseRouter, type DenseToSparseRouterConfig } from './dense-to-sparse-router.js';
import { RecurrentRouter, type RecurrentRouterConfig } from './recurrent-router.js';
import { UncertaintyRouter, type UncertaintyRouterConfig } from './uncertainty-router.js';
import { UncertaintyCalibratedRouter, type UncertaintyCalibratedRouterConfig } from './uncertainty-calibrated-router.js';
import { BiasBalancedRouter, type BiasBalancedRouterConfig } from './bias-balanced-router.js';
import { MultiGateRouter, type MultiGateRouterConfig } from './multi-gate-router.js';
import { ClusterRouter, type ClusterRouterConfig } from './cluster-router.js';

type RouterFactory = (config: ModuleConfig) => Router;

// Config objects come from JSON: each factory's constructor validates every field (unknown keys included),
// so the cast only hands the object over; the constructor is the schema.
const builtins = new Map<string, RouterFactory>([
  ['SoftmaxRouter', (c) => new SoftmaxRouter(c as unknown as SoftmaxRouterConfig)],
  ['TopKRouter', (c) => new TopKRouter(c as unknown as TopKRouterConfig)],
  ['SwitchRouter', (c) => new SwitchRouter(c as unknown as SwitchRouterConfig)],
  ['ExpertChoiceRouter', (c) => new ExpertChoiceRouter(c as unknown as ExpertChoiceRouterConfig)],
  ['TopPRouter', (c) => new TopPRouter(c as unknown as TopPRouterConfig)],
  ['NullExpertRouter', (c) => new NullExpertRouter(c as unknown as NullExpertRouterConfig)],
  ['DenseToSparseRouter', (c) => new DenseToSparseRouter(c as unknown as DenseToSparseRouterConfig)],
  ['RecurrentRouter', (c) => new RecurrentRouter(c as unknown as RecurrentRouterConfig)],
  ['UncertaintyRouter', (c) => new UncertaintyRouter(c as unknown as UncertaintyRouterConfig)],
  ['UncertaintyCalibratedRouter', (c) => new UncertaintyCalibratedRouter(c as unknown as UncertaintyCalibratedRouterConfig)],
  ['BiasBalancedRouter', (c) => new BiasBalancedRouter(c as unknown as BiasBalancedRouterConfig)],
  ['MultiGateRouter', (c) => new MultiGateRouter(c as unknown as MultiGateRouterConfig)],
  ['ClusterRouter', (c) => new ClusterRouter(c as unknown as ClusterRouterConfig)],
]);
const factories = new Map<string, { build: RouterFactory; fields?: readonly string[] }>([...builtins].map(([kind, build]) => [kind, { build }]));

/**
 * Registers a router kind so `routerFromConfig` can build it (for routers defined outside @moe/core).
 * `fields`: every config key the router accepts (`kind` included; build it with `configFields`), checked
 * before building; without it the built router's `getConfig()` keys are the accepted ones.
 */
export function registerRouter(kind: string, factory: RouterFactory, options: { fields?: readonly string[] } = {}): void {
  if (factories.has(kind)) throw new MoeConfigError('duplicate_kind', 'registerRouter', `registerRouter: kind '${kind}' is already registered`, 'kind');
  factories.set(kind, { build: factory, fields: options.fields });
}

/** Kinds `routerFromConfig` knows. */
export function routerKinds(): string[] {
  return [...factories.keys()];
}

/**
 * Builds a router from `getConfig()` output (its `kind` field picks the class). Weights are freshly seeded.
 * Throws a {@link MoeConfigError}: `invalid_spec`, `unknown_kind`, `unknown_field` (a key the router does not
 * accept; `field` names it) or `invalid_field`.
 */
export function routerFromConfig(config: ModuleConfig): Router {
  const owner = 'routerFromConfig';
  if (config == null || typeof config !== 'object' || Array.isArray(config)) {
    throw new MoeConfigError('invalid_spec', owner, `routerFromConfig: config must be an object; got ${JSON.stringify(config) ?? String(config)}`);
  }
  const kind = config.kind;
  const entry = typeof kind === 'string' ? factories.get(kind) : undefined;
  if (!entry) throw new MoeConfigError('unknown_kind', owner, `routerFromConfig: config.kind must be one of ${routerKinds().join(', ')}; got ${JSON.stringify(kind)}`, 'kind');
  if (entry.fields) checkConfigFields(kind as string, config, entry.fields);
  const router = entry.build(config);
  // Built-in routers reject unknown keys in their constructors; this also covers routers registered
  // without a field list.
  if (!entry.fields) {
    try {
      checkFieldsAgainstDescription(kind as string, config, router.getConfig());
    } catch (e) {
      router.dispose();
      throw e;
    }
  }
  return router;
}
