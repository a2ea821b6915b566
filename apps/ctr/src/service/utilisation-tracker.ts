import type { ServiceMetrics } from '@moe/service';
import { CTR_APP } from './model-versions.js';
import type { PredictOutcome } from './predict-rows.js';

/** Running means of the gate weights (per task) and cluster shares seen by /predict, for metrics and the dashboard. */
export class UtilisationTracker {
  private version: string | undefined;
  readonly loads = new Map<string, number[]>();

  observe(version: string, out: PredictOutcome, metrics: ServiceMetrics): void {
    if (version !== this.version) {
      this.loads.clear();
      this.version = version;
    }
    const fresh: [string, number[]][] = Object.entries(out.diagnostics).filter(([k]) => k.startsWith('gate/'));
    if (out.routeShare) fresh.push(['clusters', out.routeShare]);
    for (const [layer, v] of fresh) {
      const prev = this.loads.get(layer);
      const next = prev && prev.length === v.length ? prev.map((x, i) => 0.9 * x + 0.1 * v[i]) : [...v];
      this.loads.set(layer, next);
      metrics.setExpertLoad(CTR_APP, layer, next);
    }
  }
}
