export { runLoad, type LoadOptions, type LoadResult } from './run-load.js';
export { summarize, percentile, type LatencySummary } from './percentiles.js';
export { trivialApp } from './trivial-app.js';
export { parseArgs, numberArg } from './cli-args.js';
export { startChildService, residentMemoryBytes, type ChildService } from './child-service.js';
export { benchmarkTrivialService, type ServiceBenchmarkResult } from './service-benchmark.js';
