export { MoeLayer } from './moe-layer.js';
export type { MoeForward, MoeApplyOptions, MoeLayerOptions } from './moe-layer.js';
export type { BalanceOptions } from './layer-losses.js';
export { toAssignment } from './routing-assignment.js';
export type { Assignment } from './routing-assignment.js';
export { moduleFromConfig, moduleSpec, registerModuleKind, registeredModuleKinds } from './module-registry.js';
export type { ModuleSpec, ModuleFactory } from './module-registry.js';
