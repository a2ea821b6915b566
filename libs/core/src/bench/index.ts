// @moe/core/bench: the synthetic mixture-of-regimes task and the MoE-vs-dense comparison behind the
// learning spec and `npm run bench -- core`. A secondary entry point, kept out of the main barrel: it is
// for benchmarks and reproductions, not for building models.
export { makeRegimeTask, trainRegression } from '../layers/synthetic-regimes.js';
export type { RegimeTask, RegressionModel } from '../layers/synthetic-regimes.js';
export { compareMoeWithDense, meanStd } from '../layers/regime-comparison.js';
export type { RegimeComparison, RegimeComparisonOptions, RegimeComparisonRow } from '../layers/regime-comparison.js';
