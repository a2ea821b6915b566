// @moe/kernels: importing this module registers, once per process, the suite's kernels for the cpu, wasm
// and webgpu backends (by name: backends initialised later pick them up) and the gradients tfjs lacks.
import { registerMoeKernels } from './register-all.js';

registerMoeKernels();

export { registerMoeKernels } from './register-all.js';
export type { DispatchPlan } from './moe/dispatch-plan.js';
export { computeDispatchPlan, disposeDispatchPlan, validateRouterIndices } from './moe/compute-dispatch-plan.js';
export type { DispatchPlanOptions } from './moe/compute-dispatch-plan.js';
export { dispatch, combine, groupedMatMul } from './moe/moe-ops.js';
export type { GroupedMatMulOptions } from './moe/moe-ops.js';
export { clearExpertBlockCache } from './host/expert-block-cache.js';
export * from './moe/kernel-names.js';
export { frequencySplit, lowPassHalfWidth } from './spectral/frequency-split.js';
export type { FrequencySplit } from './spectral/frequency-split.js';
