// Registers every module kind of @moe/core with the config registry (imported once by the layers barrel).
import { BottleneckAdapters, type BottleneckAdaptersConfig } from '../experts/bottleneck-adapters.js';
import { DenseFfn, type DenseFfnConfig } from '../experts/dense-ffn.js';
import { ExpertBank } from '../experts/expert-bank.js';
import { FfnExperts, type FfnExpertsConfig } from '../experts/ffn-experts.js';
import { FilmExperts, type FilmExpertsConfig } from '../experts/film-experts.js';
import { FrequencyAdapterExperts, type FrequencyAdapterExpertsConfig } from '../experts/frequency-adapter-experts.js';
import { Linear, type LinearConfig } from '../experts/linear.js';
import { LoraExperts, type LoraExpertsConfig } from '../experts/lora-experts.js';
import { RankOneExperts, type RankOneExpertsConfig } from '../experts/rank-one-experts.js';
import type { Module, ModuleConfig } from '../module/module.js';
import { Home, type HomeConfig } from '../multitask/home.js';
import { Mmoe, type MmoeConfig } from '../multitask/mmoe.js';
import { Cgc, Ple, type PleConfig } from '../multitask/ple.js';
import { SharedBottom, type SharedBottomConfig } from '../multitask/shared-bottom.js';
import { Router } from '../routers/router.js';
import { routerFromConfig, routerKinds } from '../routers/registry.js';
import { FrequencyAdapterMixture, type FrequencyAdapterMixtureConfig } from './frequency-adapter-mixture.js';
import type { BalanceOptions } from './layer-losses.js';
import { MixtureOfAdapters } from './mixture-of-adapters.js';
import { childSpec, registerModuleKind, registerModuleFallback, type ModuleSpec } from './module-registry.js';
import { MoeLayer } from './moe-layer.js';

/** Narrows a rebuilt child to the class its parent needs, naming the field otherwise. */
function expectInstance<T>(owner: string, field: string, m: Module, cls: abstract new (...args: never[]) => T): T {
  if (!(m instanceof cls)) throw new Error(`${owner}: config.${field} must describe a ${cls.name}; got kind '${m.kind}'`);
  return m as T;
}

function balanceOptions(c: ModuleConfig): BalanceOptions {
  return { balanceWeight: c.balanceWeight as number | undefined, balanceForm: c.balanceForm as BalanceOptions['balanceForm'], zLossWeight: c.zLossWeight as number | undefined };
}

// JSON configs are validated by each constructor (it is the schema); the casts only hand the object over.
const simple: [string, (c: ModuleConfig) => Module][] = [
  ['DenseFfn', (c) => new DenseFfn(c as unknown as DenseFfnConfig)],
  ['Linear', (c) => new Linear(c as unknown as LinearConfig)],
  ['FfnExperts', (c) => new FfnExperts(c as unknown as FfnExpertsConfig)],
  ['LoraExperts', (c) => new LoraExperts(c as unknown as LoraExpertsConfig)],
  ['RankOneExperts', (c) => new RankOneExperts(c as unknown as RankOneExpertsConfig)],
  ['BottleneckAdapters', (c) => new BottleneckAdapters(c as unknown as BottleneckAdaptersConfig)],
  ['FilmExperts', (c) => new FilmExperts(c as unknown as FilmExpertsConfig)],
  ['SharedBottom', (c) => new SharedBottom(c as unknown as SharedBottomConfig)],
  ['Mmoe', (c) => new Mmoe(c as unknown as MmoeConfig)],
  ['Ple', (c) => new Ple(c as unknown as PleConfig)],
  ['Cgc', (c) => new Cgc(c as unknown as PleConfig)],
  ['Home', (c) => new Home(c as unknown as HomeConfig)],
  ['FrequencyAdapterExperts', (c) => new FrequencyAdapterExperts(c as unknown as FrequencyAdapterExpertsConfig)],
  ['FrequencyAdapterMixture', (c) => new FrequencyAdapterMixture(c as unknown as FrequencyAdapterMixtureConfig)],
];
for (const [kind, f] of simple) registerModuleKind(kind, (c) => f(c));

function routerAndExperts(c: ModuleConfig, build: (s: ModuleSpec) => Module, owner: string): [Router, ExpertBank] {
  return [expectInstance(owner, 'router', build(childSpec(owner, c, 'router')), Router), expectInstance(owner, 'experts', build(childSpec(owner, c, 'experts')), ExpertBank)];
}

registerModuleKind('MoeLayer', (c, build) => {
  const [router, experts] = routerAndExperts(c, build, 'MoeLayer');
  const shared = c.shared == null ? undefined : expectInstance('MoeLayer', 'shared', build(childSpec('MoeLayer', c, 'shared')), DenseFfn);
  return new MoeLayer(router, experts, { ...balanceOptions(c), shared });
});
registerModuleKind('MixtureOfAdapters', (c, build) => {
  const owner = 'MixtureOfAdapters';
  const base = build(childSpec(owner, c, 'base'));
  if (!(base instanceof DenseFfn) && !(base instanceof Linear)) throw new Error(`${owner}: config.base must describe a DenseFfn or Linear; got kind '${base.kind}'`);
  const moe = c.moe;
  if (moe == null || typeof moe !== 'object' || Array.isArray(moe)) throw new Error(`${owner}: config.moe must be a MoeLayer config; got ${JSON.stringify(moe)}`);
  const [router, adapters] = routerAndExperts(moe, build, `${owner}.moe`);
  return new MixtureOfAdapters(base, router, adapters, balanceOptions(moe));
});

// Routers keep their own registry (their configs carry `kind`); defer to it for every router kind.
registerModuleFallback((spec) => (routerKinds().includes(spec.kind) ? routerFromConfig({ ...spec.config, kind: spec.kind }) : undefined));
