import { sigmoid } from '../util/stats.js';

function logit(p: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
}

/**
 * Online recalibration: a logit offset per (domain, task), p' = σ(logit(p) + b[d][t]), fitted by a few Newton
 * steps of 1-parameter logistic regression on recent joined impressions. Multi-domain models drift per domain
 * (ctr.md §5.2): a model can be calibrated overall and biased in each domain.
 */
export class DomainCalibration {
  readonly offsets: number[][];

  constructor(readonly numDomains: number, readonly numTasks: number, offsets?: number[][]) {
    this.offsets = offsets ?? Array.from({ length: numDomains }, () => new Array<number>(numTasks).fill(0));
  }

  apply(p: number, domain: number, task: number): number {
    return sigmoid(logit(p) + this.offsets[domain][task]);
  }

  /**
   * Refits the offsets of the domains present in (p, y, domain) for `task`, with a prior pulling towards the
   * current offset (weight `priorRows` pseudo-rows) so a small batch cannot swing it.
   */
  update(p: ArrayLike<number>, y: ArrayLike<number>, domain: ArrayLike<number>, task: number, priorRows = 200): void {
    const rows: number[][] = Array.from({ length: this.numDomains }, () => []);
    for (let i = 0; i < p.length; i++) if (!Number.isNaN(y[i])) rows[domain[i]].push(i);
    rows.forEach((idx, d) => {
      if (idx.length === 0) return;
      const prior = this.offsets[d][task];
      const logits = idx.map((i) => logit(p[i]));
      let b = prior;
      for (let it = 0; it < 8; it++) {
        // Newton on Σ logloss(σ(logit + b)) + (priorRows / 8)·(b − prior)² (the prior's curvature is σ' at 0.5).
        let g = (priorRows / 4) * (b - prior);
        let h = priorRows / 4;
        idx.forEach((i, k) => {
          const q = sigmoid(logits[k] + b);
          g += q - y[i];
          h += q * (1 - q);
        });
        b -= g / Math.max(h, 1e-9);
      }
      this.offsets[d][task] = b;
    });
  }

  toJSON(): number[][] {
    return this.offsets;
  }
}
