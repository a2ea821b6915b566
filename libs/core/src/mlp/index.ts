export { BatchNorm } from './batch-norm.js';
export type { BatchNormConfig } from './batch-norm.js';
export { Mlp } from './mlp.js';
export type { MlpConfig } from './mlp.js';
export { MlpExperts } from './mlp-experts.js';
export type { MlpExpertsConfig } from './mlp-experts.js';
export type { MlpLayers } from './mlp-layers.js';
export { applyStateUpdates, discardStateUpdates, inferenceContext, trainingContext, recordGate, recordZeroRate } from './forward-context.js';
export type { ForwardContext, StateUpdate } from './forward-context.js';
