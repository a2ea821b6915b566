// Router types (Router, Routing, RouteOptions…) are exported by router.ts, which the package barrel re-exports.
export { GateNetwork } from './gate-network.js';
export type { GateNetworkConfig } from './gate-network.js';
export { GatedRouter } from './gated-router.js';
export type { GatedRouterConfig } from './gated-router.js';
export type { CapacityConfig } from './capacity.js';
export { tokenChoiceCapacity } from './capacity.js';
export { SoftmaxRouter } from './softmax-router.js';
export type { SoftmaxRouterConfig } from './softmax-router.js';
export { TopKRouter, NOISE_KINDS } from './top-k-router.js';
export type { TopKRouterConfig, NoiseKind } from './top-k-router.js';
export { SwitchRouter } from './switch-router.js';
export type { SwitchRouterConfig } from './switch-router.js';
export { routerFromConfig, registerRouter, routerKinds } from './registry.js';
export { stopGradient } from './selection.js';
