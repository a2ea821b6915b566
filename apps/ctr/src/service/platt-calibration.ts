import { z } from 'zod';
import { sigmoid } from '../util/stats.js';

function logit(p: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
}

/**
 * Platt parameters of one (domain, task): p' = σ(a·(logit(p) − c) + b), with c the mean logit of the rows
 * it was fitted on. Centring decorrelates slope and offset: at CTR-like rates every logit is near −4, and
 * an uncentred slope also moves the offset, which makes the fit swing on a domain whose logits barely vary.
 * The identity is a = 1, b = c.
 */
export interface PlattParams {
  a: number;
  b: number;
  c: number;
}

export const plattCalibrationStateSchema = z.object({
  domains: z.array(z.string()),
  tasks: z.array(z.string()),
  /** [domain][task] */
  params: z.array(z.array(z.object({ a: z.number(), b: z.number(), c: z.number() }))),
});
export type PlattCalibrationState = z.infer<typeof plattCalibrationStateSchema>;

export interface PlattFitOptions {
  /** Strength of the pull towards the identity (a = 1, b = 0), in pseudo-rows; keeps a thin domain from swinging. Default 20. */
  priorRows?: number;
  /** A (domain, task) with fewer labelled rows, or with no positive, keeps its parameters. Default 50. */
  minRows?: number;
}

/**
 * Per-domain, per-task Platt scaling. A multi-domain model can be calibrated overall and biased inside
 * each domain (ctr.md §5.2), so the scaling is fitted per domain, on a recent window of joined impressions,
 * by Newton's method on the 2-parameter logistic regression of the label on the model's logit.
 */
export class PlattCalibration {
  readonly params: PlattParams[][];

  constructor(readonly domains: readonly string[], readonly tasks: readonly string[], params?: PlattParams[][]) {
    this.params = params ?? domains.map(() => tasks.map(() => ({ a: 1, b: 0, c: 0 })));
  }

  static fromJSON(state: PlattCalibrationState): PlattCalibration {
    const parsed = plattCalibrationStateSchema.parse(state);
    if (parsed.params.length !== parsed.domains.length || parsed.params.some((r) => r.length !== parsed.tasks.length)) {
      throw new Error(`calibration: params expected ${parsed.domains.length}×${parsed.tasks.length} entries (domains × tasks)`);
    }
    return new PlattCalibration(parsed.domains, parsed.tasks, parsed.params);
  }

  /** True when every (domain, task) is the identity (nothing fitted yet). */
  get isIdentity(): boolean {
    return this.params.every((row) => row.every((p) => p.a === 1 && p.b === p.c));
  }

  apply(p: number, domain: number, task: number): number {
    const { a, b, c } = this.params[domain][task];
    return a === 1 && b === c ? p : sigmoid(a * (logit(p) - c) + b);
  }

  /** Fits the parameters of `task` for every domain present in (p, y, domain); rows with a NaN label are skipped. */
  fit(p: ArrayLike<number>, y: ArrayLike<number>, domain: ArrayLike<number>, task: number, options: PlattFitOptions = {}): void {
    const prior = options.priorRows ?? 20;
    const minRows = options.minRows ?? 50;
    const byDomain: number[][] = this.domains.map(() => []);
    for (let i = 0; i < p.length; i++) if (!Number.isNaN(y[i])) byDomain[domain[i]]?.push(i);
    byDomain.forEach((idx, d) => {
      if (idx.length < minRows || !idx.some((i) => y[i] === 1)) return;
      const c = idx.reduce((acc, i) => acc + logit(p[i]), 0) / idx.length;
      const z = idx.map((i) => logit(p[i]) - c);
      // A pull towards the identity, (λ/2)·((a − 1)² + (b − c)²), as strong as `prior` of these rows: λ is
      // `prior` times their mean curvature q(1 − q) (≈ 0.05 at a 5 % rate, not the 0.25 of p = ½).
      const lam = (prior * z.reduce((acc, zi) => acc + sigmoid(zi + c) * (1 - sigmoid(zi + c)), 0)) / z.length;
      const { a, b } = newtonPlatt(z, idx.map((i) => y[i]), c, lam);
      // A calibration map must be increasing: a slope at or below 0 means the window holds no ranking signal.
      if (Number.isFinite(a) && Number.isFinite(b)) this.params[d][task] = { a: Math.max(a, 0.05), b, c };
    });
  }

  toJSON(): PlattCalibrationState {
    return { domains: [...this.domains], tasks: [...this.tasks], params: this.params.map((r) => r.map((p) => ({ ...p }))) };
  }
}

/** Σ logloss(σ(a·z + b), y) + (λ/2)·((a − 1)² + (b − c)²). */
function penalisedLoss(z: readonly number[], y: readonly number[], c: number, lam: number, a: number, b: number): number {
  let f = (lam / 2) * ((a - 1) ** 2 + (b - c) ** 2);
  for (let k = 0; k < z.length; k++) {
    const t = a * z[k] + b;
    // log(1 + e^t) − y·t, computed without overflow.
    f += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - y[k] * t;
  }
  return f;
}

/** Newton's method with backtracking (plain Newton overshoots when few positives make the loss flat). */
function newtonPlatt(z: readonly number[], y: readonly number[], c: number, lam: number): { a: number; b: number } {
  let a = 1;
  let b = c;
  let f = penalisedLoss(z, y, c, lam, a, b);
  for (let it = 0; it < 50; it++) {
    let ga = lam * (a - 1);
    let gb = lam * (b - c);
    let haa = lam;
    let hab = 0;
    let hbb = lam;
    for (let k = 0; k < z.length; k++) {
      const q = sigmoid(a * z[k] + b);
      const r = q - y[k];
      const w = Math.max(q * (1 - q), 1e-12);
      ga += r * z[k];
      gb += r;
      haa += w * z[k] * z[k];
      hab += w * z[k];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 1e-18)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = f;
    for (; step > 1e-4; step /= 2) {
      next = penalisedLoss(z, y, c, lam, a - step * da, b - step * db);
      if (next <= f) break;
    }
    if (!(next <= f)) break;
    a -= step * da;
    b -= step * db;
    const done = f - next < 1e-10 * Math.max(1, Math.abs(f));
    f = next;
    if (done) break;
  }
  return { a, b };
}
