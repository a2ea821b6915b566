export { runFuzz, type FuzzOptions, type FuzzReport, type FuzzFailure } from './run-fuzz.js';
export { mutationsFor, validRequest } from './mutations.js';
export { operationsOf, type Operation } from './operations.js';
export { rawHttpCases } from './raw-cases.js';
export { fuzzTargetApp } from './target-app.js';
export type { FuzzCase } from './fuzz-case.js';
