import { z } from 'zod';
import { sigmoid } from '../util/stats.js';

function logit(p: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
}

/** Platt parameters of one (domain, task): p' = σ(a·logit(p) + b). */
export interface PlattParams {
  a: number;
  b: number;
}

export const plattCalibrationStateSchema = z.object({
  domains: z.array(z.string()),
  tasks: z.array(z.string()),
  /** [domain][task] */
  params: z.array(z.array(z.object({ a: z.number(), b: z.number() }))),
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
    this.params = params ?? domains.map(() => tasks.map(() => ({ a: 1, b: 0 })));
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
    return this.params.every((row) => row.every((p) => p.a === 1 && p.b === 0));
  }

  apply(p: number, domain: number, task: number): number {
    const { a, b } = this.params[domain][task];
    return a === 1 && b === 0 ? p : sigmoid(a * logit(p) + b);
  }

  /** Fits the parameters of `task` for every domain present in (p, y, domain); rows with a NaN label are skipped. */
  fit(p: ArrayLike<number>, y: ArrayLike<number>, domain: ArrayLike<number>, task: number, options: PlattFitOptions = {}): void {
    const prior = options.priorRows ?? 20;
    const minRows = options.minRows ?? 50;
    const byDomain: number[][] = this.domains.map(() => []);
    for (let i = 0; i < p.length; i++) if (!Number.isNaN(y[i])) byDomain[domain[i]]?.push(i);
    byDomain.forEach((idx, d) => {
      if (idx.length < minRows || !idx.some((i) => y[i] === 1)) return;
      const z = idx.map((i) => logit(p[i]));
      let a = 1;
      let b = 0;
      for (let it = 0; it < 25; it++) {
        // Gradient and Hessian of Σ logloss(σ(a·z + b)) + (prior/8)·((a − 1)² + b²); the prior's curvature
        // is that of `prior` rows at p = ½, so it counts like that many neutral observations.
        const lam = prior / 4;
        let ga = lam * (a - 1);
        let gb = lam * b;
        let haa = lam;
        let hab = 0;
        let hbb = lam;
        for (let k = 0; k < idx.length; k++) {
          const q = sigmoid(a * z[k] + b);
          const r = q - y[idx[k]];
          const w = Math.max(q * (1 - q), 1e-9);
          ga += r * z[k];
          gb += r;
          haa += w * z[k] * z[k];
          hab += w * z[k];
          hbb += w;
        }
        const det = haa * hbb - hab * hab;
        if (!(det > 1e-12)) break;
        const da = (hbb * ga - hab * gb) / det;
        const db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if (Math.abs(da) + Math.abs(db) < 1e-8) break;
      }
      if (Number.isFinite(a) && Number.isFinite(b)) this.params[d][task] = { a, b };
    });
  }

  toJSON(): PlattCalibrationState {
    return { domains: [...this.domains], tasks: [...this.tasks], params: this.params.map((r) => r.map((p) => ({ ...p }))) };
  }
}
