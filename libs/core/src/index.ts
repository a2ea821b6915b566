// @moe/core public surface. Each folder has its own barrel; this file only gathers them.
import '@moe/kernels';
export * from './module/index.js';
export * from './errors/index.js';
export * from './config/index.js';
export * from './routers/router.js';
export * from './routers/index.js';
export * from './losses/index.js';
export * from './telemetry/index.js';
export * from './experts/index.js';
export * from './layers/index.js';
export * from './multitask/index.js';
export * from './mlp/index.js';
export * from './multidomain/index.js';
export * from './online/index.js';
