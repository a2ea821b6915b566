// Registers every module kind of @moe/core with the config registry (imported once by the layers barrel).
import { checkConfigFields, configFields } from '../config/config-fields.js';
import { MoeConfigError } from '../errors/moe-error.js';
import { BottleneckAdapters, type BottleneckAdaptersConfig, BOTTLENECK_ADAPTERS_FIELDS } from '../experts/bottleneck-adapters.js';
import { DenseFfn, type DenseFfnConfig, DENSE_FFN_FIELDS } from '../experts/dense-ffn.js';
import { ExpertBank } from '../experts/expert-bank.js';
import { FfnExperts, type FfnExpertsConfig, FFN_EXPERTS_FIELDS } from '../experts/ffn-experts.js';
import { FilmExperts, type FilmExpertsConfig, FILM_EXPERTS_FIELDS } from '../experts/film-experts.js';
import { FrequencyAdapterExperts, type FrequencyAdapterExpertsConfig, FREQUENCY_ADAPTER_EXPERTS_FIELDS } from '../experts/frequency-adapter-experts.js';
import { Linear, type LinearConfig, LINEAR_FIELDS } from '../experts/linear.js';
import { LoraExperts, type LoraExpertsConfig, LORA_EXPERTS_FIELDS } from '../experts/lora-experts.js';
import { RankOneExperts, type RankOneExpertsConfig, RANK_ONE_EXPERTS_FIELDS } from '../experts/rank-one-experts.js';
import type { Module, ModuleConfig } from '../module/module.js';
import type { ExpertGateOptions } from '../multitask/expert-options.js';
import { Home, type HomeConfig } from '../multitask/home.js';
import { Mmoe, type MmoeConfig } from '../multitask/mmoe.js';
import { Cgc, Ple, type PleConfig } from '../multitask/ple.js';
import { SharedBottom, type SharedBottomConfig } from '../multitask/shared-bottom.js';
import { Router } from '../routers/router.js';
import { routerFromConfig, routerKinds } from '../routers/registry.js';
import { FrequencyAdapterMixture, type FrequencyAdapterMixtureConfig, FREQUENCY_ADAPTER_MIXTURE_FIELDS } from './frequency-adapter-mixture.js';
import type { BalanceOptions } from './layer-losses.js';
import { MixtureOfAdapters } from './mixture-of-adapters.js';
import { childSpec, registerModuleKind, registerModuleFallback, type ModuleSpec } from './module-registry.js';
import { MoeLayer, type MoeLayerOptions } from './moe-layer.js';

/** Narrows a rebuilt child to the class its parent needs, naming the field otherwise. */
function expectInstance<T>(owner: string, field: string, m: Module, cls: abstract new (...args: never[]) => T): T {
  if (!(m instanceof cls)) throw new MoeConfigError('invalid_field', owner, `${owner}: config.${field} must describe a ${cls.name}; got kind '${m.kind}'`, field);
  return m as T;
}

function balanceOptions(c: ModuleConfig): BalanceOptions {
  return { balanceWeight: c.balanceWeight as number | undefined, balanceForm: c.balanceForm as BalanceOptions['balanceForm'], zLossWeight: c.zLossWeight as number | undefined };
}

// The config keys each kind accepts, checked against its config type at compile time (configFields) and
// against the JSON at run time (moduleFromConfig rejects any other key before building). Several blocks
// keep their input config and return it from getConfig(), so the list, not getConfig(), is the schema.
// MoeLayer's JSON config: its options (the shared expert as a spec) plus the router and experts specs.
const MOE_LAYER_FIELDS = configFields<Omit<MoeLayerOptions, 'shared'> & { router: unknown; experts: unknown; shared?: unknown }>()(['router', 'experts', 'shared', 'balanceWeight', 'balanceForm', 'zLossWeight']);
const MIXTURE_MOE_FIELDS = MOE_LAYER_FIELDS.filter((f) => f !== 'shared');
const EXPERT_GATE_FIELDS = [
  'expertLayers', 'expertHidden', 'outputDim', 'activation', 'gateConditions', 'gateHidden', 'gateBias', 'gateInitScale', 'taskNames',
] as const satisfies readonly (keyof ExpertGateOptions)[];
const FIELDS: Record<string, readonly string[]> = {
  DenseFfn: DENSE_FFN_FIELDS,
  Linear: LINEAR_FIELDS,
  FfnExperts: FFN_EXPERTS_FIELDS,
  LoraExperts: LORA_EXPERTS_FIELDS,
  RankOneExperts: RANK_ONE_EXPERTS_FIELDS,
  BottleneckAdapters: BOTTLENECK_ADAPTERS_FIELDS,
  FilmExperts: FILM_EXPERTS_FIELDS,
  FrequencyAdapterExperts: FREQUENCY_ADAPTER_EXPERTS_FIELDS,
  FrequencyAdapterMixture: FREQUENCY_ADAPTER_MIXTURE_FIELDS,
  SharedBottom: configFields<SharedBottomConfig>()(['inputDim', 'numTasks', 'hiddenDim', 'outputDim', 'activation', 'seed']),
  Mmoe: configFields<MmoeConfig>()(['inputDim', 'numTasks', 'numExperts', 'sharedGate', 'seed', ...EXPERT_GATE_FIELDS]),
  Ple: configFields<PleConfig>()(['inputDim', 'numTasks', 'levels', 'sharedExperts', 'taskExperts', 'seed', ...EXPERT_GATE_FIELDS]),
  Cgc: configFields<PleConfig>()(['inputDim', 'numTasks', 'levels', 'sharedExperts', 'taskExperts', 'seed', ...EXPERT_GATE_FIELDS]),
  Home: configFields<HomeConfig>()([
    'inputDim', 'tasksPerCategory', 'metaShared', 'metaPerCategory', 'taskShared', 'taskPerCategory', 'taskSpecific', 'expertSizes', 'expertHidden',
    'outputDim', 'bnSwish', 'hierarchy', 'featureGateRank', 'selfGates', 'gateHidden', 'gateConditions', 'taskNames', 'seed',
  ]),
  MoeLayer: MOE_LAYER_FIELDS,
  MixtureOfAdapters: ['base', 'moe'],
};

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
for (const [kind, f] of simple) registerModuleKind(kind, (c) => f(c), { fields: FIELDS[kind] });

function routerAndExperts(c: ModuleConfig, build: (s: ModuleSpec) => Module, owner: string): [Router, ExpertBank] {
  return [expectInstance(owner, 'router', build(childSpec(owner, c, 'router')), Router), expectInstance(owner, 'experts', build(childSpec(owner, c, 'experts')), ExpertBank)];
}

registerModuleKind('MoeLayer', (c, build) => {
  const [router, experts] = routerAndExperts(c, build, 'MoeLayer');
  const shared = c.shared == null ? undefined : expectInstance('MoeLayer', 'shared', build(childSpec('MoeLayer', c, 'shared')), DenseFfn);
  return new MoeLayer(router, experts, { ...balanceOptions(c), shared });
}, { fields: FIELDS.MoeLayer });
registerModuleKind('MixtureOfAdapters', (c, build) => {
  const owner = 'MixtureOfAdapters';
  const base = build(childSpec(owner, c, 'base'));
  if (!(base instanceof DenseFfn) && !(base instanceof Linear)) throw new MoeConfigError('invalid_field', owner, `${owner}: config.base must describe a DenseFfn or Linear; got kind '${base.kind}'`, 'base');
  const moe = c.moe;
  if (moe == null || typeof moe !== 'object' || Array.isArray(moe)) throw new MoeConfigError('invalid_field', owner, `${owner}: config.moe must be a MoeLayer config; got ${JSON.stringify(moe)}`, 'moe');
  checkConfigFields(owner, moe, MIXTURE_MOE_FIELDS, 'moe.');
  const [router, adapters] = routerAndExperts(moe, build, `${owner}.moe`);
  return new MixtureOfAdapters(base, router, adapters, balanceOptions(moe));
}, { fields: FIELDS.MixtureOfAdapters });

// Routers keep their own registry (their configs carry `kind`); defer to it for every router kind.
registerModuleFallback((spec) => (routerKinds().includes(spec.kind) ? routerFromConfig({ ...spec.config, kind: spec.kind }) : undefined));
