export { publish, markdownTable, machineDescription, type BenchReport, type BenchContext, type BenchSuite } from './report.js';
