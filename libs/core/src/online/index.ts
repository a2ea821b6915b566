// CPU-side online routers for stream learners: float64 typed arrays, no tensors (see mlp-router.ts).
export { MlpRouter } from './mlp-router.js';
export type { MlpRouterOptions, MlpRouterState, RouterActivations } from './mlp-router.js';
export { bceGradient } from './bce-gradient.js';
export { Adam } from './adam.js';
export type { AdamState } from './adam.js';
