export * from './http/index.js';
export * from './worker/index.js';
