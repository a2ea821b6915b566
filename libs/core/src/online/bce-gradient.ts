/**
 * dBCEWithLogits(z, m)/dz, averaged over `count` entries: out[j] = (σ(z[j]) − m[j]) / count. The loss an
 * {@link MlpRouter} learns a multi-hot target of "good experts" with (DriftMoE's router); `count` is the
 * number of entries the mean runs over (batch size × outputs for torch's default 'mean' reduction).
 */
export function bceGradient(logits: Float64Array, target: ArrayLike<number>, count: number, out: Float64Array): void {
  for (let j = 0; j < logits.length; j++) out[j] = (1 / (1 + Math.exp(-logits[j])) - target[j]) / count;
}
