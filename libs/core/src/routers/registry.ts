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
import { BiasBalancedRouter, type BiasBalancedRouterConfig } from './bias-balanced-router.js';
import { MultiGateRouter, type MultiGateRouterConfig } from './multi-gate-router.js';
import { ClusterRouter, type ClusterRouterConfig } from './cluster-router.js';

type RouterFactory = (config: ModuleConfig) => Router;

// Config objects come from JSON: each factory's constructor validates every field, so the cast only
// hands the object over; the constructor is the schema.
const factories = new Map<string, RouterFactory>([
  ['SoftmaxRouter', (c) => new SoftmaxRouter(c as unknown as SoftmaxRouterConfig)],
  ['TopKRouter', (c) => new TopKRouter(c as unknown as TopKRouterConfig)],
  ['SwitchRouter', (c) => new SwitchRouter(c as unknown as SwitchRouterConfig)],
  ['ExpertChoiceRouter', (c) => new ExpertChoiceRouter(c as unknown as ExpertChoiceRouterConfig)],
  ['TopPRouter', (c) => new TopPRouter(c as unknown as TopPRouterConfig)],
  ['NullExpertRouter', (c) => new NullExpertRouter(c as unknown as NullExpertRouterConfig)],
  ['DenseToSparseRouter', (c) => new DenseToSparseRouter(c as unknown as DenseToSparseRouterConfig)],
  ['RecurrentRouter', (c) => new RecurrentRouter(c as unknown as RecurrentRouterConfig)],
  ['UncertaintyRouter', (c) => new UncertaintyRouter(c as unknown as UncertaintyRouterConfig)],
  ['BiasBalancedRouter', (c) => new BiasBalancedRouter(c as unknown as BiasBalancedRouterConfig)],
  ['MultiGateRouter', (c) => new MultiGateRouter(c as unknown as MultiGateRouterConfig)],
  ['ClusterRouter', (c) => new ClusterRouter(c as unknown as ClusterRouterConfig)],
]);

/** Registers a router kind so `routerFromConfig` can build it (for routers defined outside @moe/core). */
export function registerRouter(kind: string, factory: RouterFactory): void {
  if (factories.has(kind)) throw new Error(`registerRouter: kind '${kind}' is already registered`);
  factories.set(kind, factory);
}

/** Kinds `routerFromConfig` knows. */
export function routerKinds(): string[] {
  return [...factories.keys()];
}

/** Builds a router from `getConfig()` output (its `kind` field picks the class). Weights are freshly seeded. */
export function routerFromConfig(config: ModuleConfig): Router {
  if (config == null || typeof config !== 'object') throw new Error(`routerFromConfig: config must be an object; got ${String(config)}`);
  const kind = config.kind;
  const factory = typeof kind === 'string' ? factories.get(kind) : undefined;
  if (!factory) throw new Error(`routerFromConfig: config.kind must be one of ${routerKinds().join(', ')}; got ${JSON.stringify(kind)}`);
  return factory(config);
}
