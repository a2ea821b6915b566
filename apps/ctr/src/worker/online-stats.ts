import { z } from 'zod';
import { pcoc } from '../eval/metrics.js';

const nullableNumber = z.number().nullable();

/** Counters and calibration figures of an online worker; saved in its checkpoint and shown on the dashboard. */
export const onlineStatsSchema = z.object({
  impressions: z.number(),
  duplicateImpressions: z.number(),
  clicks: z.number(),
  clicksJoined: z.number(),
  /** Clicks after their impression's window (or after it was labelled): counted and dropped. */
  lateClicks: z.number(),
  /** Clicks for impressions never seen. */
  unmatchedClicks: z.number(),
  duplicateClicks: z.number(),
  /** Impressions labelled (window closed) and queued for fine-tuning. */
  labelled: z.number(),
  positives: z.number(),
  fineTuneSteps: z.number(),
  lastLoss: nullableNumber,
  /** PCOC = Σp̂ / Σy of the first task over the recent window: the model's raw predictions… */
  pcocRaw: nullableNumber,
  /** …and the predictions recalibrated with parameters fitted before those labels were seen (prequential). */
  pcocCalibrated: nullableNumber,
  perDomainPcoc: z.record(z.string(), z.object({ rows: z.number(), raw: nullableNumber, calibrated: nullableNumber })),
});
export type OnlineStats = z.infer<typeof onlineStatsSchema>;

export function emptyOnlineStats(): OnlineStats {
  return {
    impressions: 0, duplicateImpressions: 0, clicks: 0, clicksJoined: 0, lateClicks: 0, unmatchedClicks: 0, duplicateClicks: 0,
    labelled: 0, positives: 0, fineTuneSteps: 0, lastLoss: null, pcocRaw: null, pcocCalibrated: null, perDomainPcoc: {},
  };
}

const orNull = (v: number) => (Number.isFinite(v) ? v : null);

/** Overall and per-domain PCOC of raw and recalibrated predictions over a window of labelled rows. */
export function windowPcoc(raw: readonly number[], calibrated: readonly number[], y: readonly number[], domain: readonly number[], domains: readonly string[]): Pick<OnlineStats, 'pcocRaw' | 'pcocCalibrated' | 'perDomainPcoc'> {
  const perDomainPcoc: OnlineStats['perDomainPcoc'] = {};
  domains.forEach((name, d) => {
    const idx = domain.flatMap((x, i) => (x === d ? [i] : []));
    if (idx.length === 0) return;
    const yd = idx.map((i) => y[i]);
    perDomainPcoc[name] = { rows: idx.length, raw: orNull(pcoc(idx.map((i) => raw[i]), yd)), calibrated: orNull(pcoc(idx.map((i) => calibrated[i]), yd)) };
  });
  return { pcocRaw: orNull(pcoc(raw, y)), pcocCalibrated: orNull(pcoc(calibrated, y)), perDomainPcoc };
}
