/**
 * Temporal Gaussian Splatting pseudo-labels (GS-MoE, reference vision.md §3.2), computed on the host from a
 * detached score curve of an abnormal video:
 *
 * 1. Peaks: snippets that are the maximum of their ±`peakRadius` window (the first of equal values), at least
 *    `minPeak`, and at least `prominence` above the curve's minimum.
 * 2. Extent of each peak: walk left and right while the score stays at or above half the peak's height over
 *    the curve's minimum (half-maximum), giving W_left and W_right.
 * 3. Kernel: a binary gate on [P − W_left, P + W_right] times exp(−(t − P)² / (2σ²)).
 * 4. Pseudo-label ŷ = clip(Σ kernels, 0, 1), used as a constant target of a dense BCE.
 *
 * **σ is in snippet units**: σ = max(1, (W_left + W_right) / 2), the mean half-width at half-maximum, so the
 * ends of the extent get e^{-1/2} ≈ 0.61. (The paper's σ is "the std of the scores around the peak", a
 * quantity in score units; used as a temporal width it would make every kernel a near-delta — §3.2's open
 * ambiguity. This is the choice made here.) The gate uses the half-maximum extent rather than the unofficial
 * reimplementation's monotone run lengths, which noise cuts short on long events.
 */
export interface TgsOptions {
  peakRadius?: number;
  minPeak?: number;
  prominence?: number;
}

export interface TgsPeak {
  position: number;
  left: number;
  right: number;
  sigma: number;
}

export function findTgsPeaks(scores: ArrayLike<number>, options: TgsOptions = {}): TgsPeak[] {
  const radius = options.peakRadius ?? 2;
  const minPeak = options.minPeak ?? 0.5;
  const prominence = options.prominence ?? 0.2;
  const n = scores.length;
  let floor = Infinity;
  for (let i = 0; i < n; i++) floor = Math.min(floor, scores[i]);
  const peaks: TgsPeak[] = [];
  for (let p = 0; p < n; p++) {
    const s = scores[p];
    if (s < minPeak || s - floor < prominence) continue;
    let isPeak = true;
    for (let j = Math.max(0, p - radius); j <= Math.min(n - 1, p + radius) && isPeak; j++) {
      if (scores[j] > s || (j < p && scores[j] === s)) isPeak = false;
    }
    if (!isPeak) continue;
    const half = floor + (s - floor) / 2;
    let left = 0;
    while (p - left - 1 >= 0 && scores[p - left - 1] >= half) left++;
    let right = 0;
    while (p + right + 1 < n && scores[p + right + 1] >= half) right++;
    peaks.push({ position: p, left, right, sigma: Math.max(1, (left + right) / 2) });
  }
  return peaks;
}

/** ŷ_t = clip(Σ_i G_i(t)·exp(−(t − P_i)²/(2σ_i²)), 0, 1); all zeros when the curve has no peak. */
export function tgsPseudoLabels(scores: ArrayLike<number>, options: TgsOptions = {}): Float32Array {
  const out = new Float32Array(scores.length);
  for (const peak of findTgsPeaks(scores, options)) {
    for (let t = peak.position - peak.left; t <= peak.position + peak.right; t++) {
      const d = t - peak.position;
      out[t] += Math.exp(-(d * d) / (2 * peak.sigma * peak.sigma));
    }
  }
  for (let t = 0; t < out.length; t++) out[t] = Math.min(1, out[t]);
  return out;
}
