import './builtin-kinds.js';

export { MoeLayer } from './moe-layer.js';
export type { MoeForward, MoeApplyOptions, MoeLayerOptions } from './moe-layer.js';
export { DEFAULT_BALANCE } from './layer-losses.js';
export type { BalanceOptions } from './layer-losses.js';
export { MixtureOfAdapters } from './mixture-of-adapters.js';
export type { AdapterBase } from './mixture-of-adapters.js';
export { FrequencyAdapterMixture } from './frequency-adapter-mixture.js';
export type { FrequencyAdapterMixtureConfig } from './frequency-adapter-mixture.js';
export { upcycle } from './upcycle.js';
export type { UpcycleOptions } from './upcycle.js';
export { moduleFromConfig, moduleSpec, registerModuleKind, registeredModuleKinds } from './module-registry.js';
export type { ModuleSpec, ModuleFactory, ModuleKindOptions } from './module-registry.js';
