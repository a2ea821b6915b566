export { Module } from './module.js';
export type { JsonValue, ModuleConfig } from './module.js';
export { deriveSeed } from './seed.js';
export { sumAuxLosses } from './loss.js';
export type { AuxLoss } from './loss.js';
