import { psnr, ssim, type WeatherType } from '@moe/vision';
import type { DeweatherNet } from '../model/deweather-net.js';
import type { WeatherPair } from '../data/weather-pairs.js';
import { restoreBatch } from './restore-batch.js';
import { auroc, meanStd } from './statistics.js';

/** Metrics of one weather type (or 'all'). PSNR/SSIM on RGB in [0, 1] at the crop resolution. */
export interface TypeMetrics {
  pairs: number;
  psnr: number;
  ssim: number;
  /** The degraded input against the clean image: what "no restoration" scores. */
  inputPsnr: number;
  inputSsim: number;
  /** Per MoE layer, the share of assignments each expert received on this type. */
  expertShare: number[][];
  /** Mean UaR mutual information and plain router entropy (UaR variant only). */
  uncertainty?: { mutualInformation: number; entropy: number };
}

export interface Evaluation {
  byType: Partial<Record<WeatherType, TypeMetrics>>;
  /** Over every pair given (the mixed set). */
  all: TypeMetrics;
  /** Per-image values, to pool or test later. */
  perPair: { type: WeatherType; psnr: number; ssim: number; mutualInformation?: number; entropy?: number }[];
}

/** Restores every pair (in batches of one type at a time) and aggregates per type. */
export async function evaluatePairs(net: DeweatherNet, pairs: readonly WeatherPair[], options: { batch?: number; ssim?: boolean } = {}): Promise<Evaluation> {
  const batch = options.batch ?? 8;
  const perPair: Evaluation['perPair'] = [];
  const counts = new Map<WeatherType, number[][]>();
  const order = [...new Set(pairs.map((p) => p.type))];
  const inputScores: { type: WeatherType; psnr: number; ssim: number }[] = [];
  for (const type of order) {
    const ofType = pairs.filter((p) => p.type === type);
    for (let i = 0; i < ofType.length; i += batch) {
      const chunk = ofType.slice(i, i + batch);
      const r = await restoreBatch(net, chunk.map((p) => p.degraded));
      chunk.forEach((p, j) => {
        perPair.push({
          type,
          psnr: psnr(r.images[j], p.clean),
          ssim: options.ssim === false ? Number.NaN : ssim(r.images[j], p.clean),
          ...(r.uncertainty ? { mutualInformation: r.uncertainty.mutualInformation[j], entropy: r.uncertainty.entropy[j] } : {}),
        });
        inputScores.push({ type, psnr: psnr(p.degraded, p.clean), ssim: options.ssim === false ? Number.NaN : ssim(p.degraded, p.clean) });
      });
      const acc = counts.get(type) ?? r.expertCounts.map((c) => c.map(() => 0));
      r.expertCounts.forEach((layer, l) => layer.forEach((c, e) => (acc[l][e] += c)));
      counts.set(type, acc);
    }
  }
  const summarise = (type: WeatherType | undefined): TypeMetrics => {
    const sel = perPair.filter((p) => type === undefined || p.type === type);
    const inp = inputScores.filter((p) => type === undefined || p.type === type);
    const layerCounts = type ? (counts.get(type) ?? []) : sumCounts([...counts.values()]);
    const m: TypeMetrics = {
      pairs: sel.length,
      psnr: meanStd(sel.map((p) => p.psnr)).mean,
      ssim: meanStd(sel.map((p) => p.ssim)).mean,
      inputPsnr: meanStd(inp.map((p) => p.psnr)).mean,
      inputSsim: meanStd(inp.map((p) => p.ssim)).mean,
      expertShare: layerCounts.map((c) => {
        const t = c.reduce((a, b) => a + b, 0);
        return c.map((v) => (t > 0 ? v / t : 0));
      }),
    };
    if (sel.length && sel[0].mutualInformation !== undefined) {
      m.uncertainty = { mutualInformation: meanStd(sel.map((p) => p.mutualInformation!)).mean, entropy: meanStd(sel.map((p) => p.entropy!)).mean };
    }
    return m;
  };
  const byType: Evaluation['byType'] = {};
  for (const t of order) byType[t] = summarise(t);
  return { byType, all: summarise(undefined), perPair };
}

function sumCounts(list: number[][][]): number[][] {
  if (list.length === 0) return [];
  return list[0].map((layer, l) => layer.map((_, e) => list.reduce((s, c) => s + c[l][e], 0)));
}

/**
 * Does the router's uncertainty rise on weather it never saw? AUROC of the per-image score for telling
 * out-of-distribution pairs (held-out types) from in-distribution ones (0.5 = blind, 1 = perfect), for the
 * UaR mutual information and, as the baseline it must beat, the plain router's entropy.
 */
export function uncertaintyCalibration(evaluation: Evaluation, heldOut: readonly WeatherType[]): { aurocMutualInformation: number; aurocEntropy: number; idMean: number; oodMean: number } | undefined {
  const scored = evaluation.perPair.filter((p) => p.mutualInformation !== undefined);
  if (scored.length === 0) return undefined;
  const ood = (p: (typeof scored)[number]) => heldOut.includes(p.type);
  const pos = scored.filter(ood);
  const neg = scored.filter((p) => !ood(p));
  if (pos.length === 0 || neg.length === 0) return undefined;
  return {
    aurocMutualInformation: auroc(pos.map((p) => p.mutualInformation!), neg.map((p) => p.mutualInformation!)),
    aurocEntropy: auroc(pos.map((p) => p.entropy!), neg.map((p) => p.entropy!)),
    idMean: meanStd(neg.map((p) => p.mutualInformation!)).mean,
    oodMean: meanStd(pos.map((p) => p.mutualInformation!)).mean,
  };
}
