export { routingStats, readRoutingStats, disposeRoutingStats } from './routing-stats.js';
export type { RoutingStats, RoutingStatsOptions, RoutingStatsValues } from './routing-stats.js';
export { RoutingConsistency } from './routing-consistency.js';
