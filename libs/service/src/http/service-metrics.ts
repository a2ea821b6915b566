import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets (seconds) from sub-millisecond health checks to multi-second training calls. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics, one registry per service (so several services in one process — tests —
 * do not collide). Apps record inference latency and expert load through it; `/metrics` exposes it.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** Records one request; `route` is the route pattern (not the raw URL) to bound label cardinality. */
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  /** Records one model inference (a batch counts once). */
  observeInference(labels: { app: string; model: string }, seconds: number): void;
  /**
   * Sets the share of tokens/examples routed to each expert of one MoE layer (or gate/domain), e.g. the
   * last batch's or a moving average. The dashboard draws these as heatmaps.
   */
  setExpertLoad(app: string, layer: string, loads: readonly number[]): void;
  /** Current expert loads of an app: layer → per-expert values. */
  expertLoad(app: string): Promise<Record<string, number[]>>;
  countRateLimited(): void;
}

/** A fresh Prometheus registry with the service's request, inference, rate-limit and expert-load metrics (plus Node's defaults unless `defaultMetrics: false`). */
export function createServiceMetrics(options: { defaultMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const inference = new Histogram({
    name: 'moe_inference_duration_seconds',
    help: 'Model inference latency by app and model',
    labelNames: ['app', 'model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const load = new Gauge({
    name: 'moe_expert_load',
    help: 'Share of routed examples per expert (by app, layer, expert index)',
    labelNames: ['app', 'layer', 'expert'] as const,
    registers: [registry],
  });
  const limited = new Counter({ name: 'http_rate_limited_total', help: 'Requests refused by the rate limiter', registers: [registry] });
  return {
    registry,
    observeRequest: ({ method, route, status }, s) => requests.observe({ method, route, status: String(status) }, s),
    observeInference: (labels, s) => inference.observe(labels, s),
    setExpertLoad(app, layer, loads) {
      loads.forEach((v, i) => load.set({ app, layer, expert: String(i) }, v));
    },
    async expertLoad(app) {
      const out: Record<string, number[]> = {};
      for (const v of (await load.get()).values) {
        if (v.labels.app !== app) continue;
        const layer = String(v.labels.layer);
        const row = (out[layer] ??= []);
        row[Number(v.labels.expert)] = v.value;
      }
      for (const row of Object.values(out)) for (let i = 0; i < row.length; i++) row[i] ??= 0;
      return out;
    },
    countRateLimited: () => limited.inc(),
  };
}
