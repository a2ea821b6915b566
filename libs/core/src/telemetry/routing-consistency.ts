import type { RoutingStatsValues } from './routing-stats.js';

/**
 * Routing consistency between consecutive batches: the fraction of tokens whose first-choice expert is the
 * same as in the previous batch. Meaningful when the same tokens are routed again — a fixed probe batch
 * evaluated after each training step, or replayed serving traffic — which is how routing fluctuation (tokens
 * hopping between experts while the router trains) is measured. Feed it stats read with `keepTop1: true`.
 */
export class RoutingConsistency {
  private previous: Int32Array | undefined;

  /**
   * Returns the consistency against the previous batch (undefined for the first batch or when the number of
   * tokens changed) and remembers this batch. Tokens routed to no expert in both batches count as kept.
   */
  update(stats: Pick<RoutingStatsValues, 'top1'>): number | undefined {
    const current = stats.top1;
    if (!current) throw new Error('RoutingConsistency.update: stats.top1 is missing; compute the stats with { keepTop1: true }');
    const prev = this.previous;
    this.previous = Int32Array.from(current);
    if (!prev || prev.length !== current.length || current.length === 0) return undefined;
    let kept = 0;
    for (let i = 0; i < current.length; i++) if (current[i] === prev[i]) kept++;
    return kept / current.length;
  }

  reset(): void {
    this.previous = undefined;
  }
}
