/**
 * The synthetic anomaly feature streams of reference vision.md §4: AR(1) backgrounds around a per-video scene
 * mean, and typed events that add `a·g(t)·v_c` along a unit class direction v_c with a trapezoid ramp g. The
 * classes are built to isolate GS-MoE's claims: a *subtle* class (small amplitude), a *long* class (events
 * covering a third to a half of the video), a *short* burst class, and an *erratic* class whose direction
 * flips sign from snippet to snippet (zero mean: a detector of one mean shift cannot see it, so the classes are
 * heterogeneous in kind, not only in direction).
 */
export interface AnomalyClassSpec {
  readonly name: string;
  /** Amplitude in units of the background's stationary standard deviation (the SNR), drawn uniformly. */
  readonly amplitude: readonly [number, number];
  /** Event length as a fraction of the video length, drawn uniformly. */
  readonly lengthFraction: readonly [number, number];
  /** Events per anomalous video, drawn uniformly from the range. */
  readonly events: readonly [number, number];
  /** 'shift': +a·g(t)·v; 'erratic': ±a·g(t)·v with a random sign per snippet. */
  readonly kind: 'shift' | 'erratic';
}

export interface SyntheticStreamConfig {
  /** Feature dimension D. */
  readonly dim: number;
  /** Snippets per video T, drawn uniformly from the range (inclusive). */
  readonly length: readonly [number, number];
  /** AR(1) coefficient ρ of the background noise. */
  readonly rho: number;
  /** Standard deviation of the per-video scene mean μ_scene, per dimension, relative to the noise's. */
  readonly sceneStd: number;
  /** Ramp-up and ramp-down of the trapezoid g, as a fraction of the event length (each side). */
  readonly rampFraction: number;
  readonly classes: readonly AnomalyClassSpec[];
}

export const DEFAULT_CLASSES: readonly AnomalyClassSpec[] = [
  { name: 'burst', amplitude: [5, 7], lengthFraction: [1 / 20, 1 / 10], events: [1, 2], kind: 'shift' },
  { name: 'subtle', amplitude: [2, 2.8], lengthFraction: [1 / 10, 1 / 5], events: [1, 1], kind: 'shift' },
  { name: 'long', amplitude: [2.8, 3.8], lengthFraction: [1 / 3, 1 / 2], events: [1, 1], kind: 'shift' },
  { name: 'erratic', amplitude: [4, 5.5], lengthFraction: [1 / 10, 1 / 4], events: [1, 2], kind: 'erratic' },
];

export const DEFAULT_STREAM_CONFIG: SyntheticStreamConfig = {
  dim: 32,
  length: [48, 96],
  rho: 0.9,
  sceneStd: 0.3,
  rampFraction: 0.2,
  classes: DEFAULT_CLASSES,
};

/** How many videos of each kind a split holds (anomalous ones spread evenly over the classes). */
export interface SplitSizes {
  readonly normal: number;
  readonly anomalousPerClass: number;
}

function range(name: string, r: readonly [number, number], min: number, integer = false): void {
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => Number.isFinite(v)) || r[0] > r[1] || r[0] < min || (integer && !r.every(Number.isInteger))) {
    throw new RangeError(`${name}: expected [lo, hi] with ${min} ≤ lo ≤ hi${integer ? ', integers' : ''}, got ${JSON.stringify(r)}`);
  }
}

/** Throws naming the field that is out of range. */
export function checkStreamConfig(config: SyntheticStreamConfig): void {
  if (!Number.isInteger(config.dim) || config.dim < 2) throw new RangeError(`dim: expected an integer ≥ 2, got ${config.dim}`);
  range('length', config.length, 4, true);
  if (!(config.rho >= 0 && config.rho < 1)) throw new RangeError(`rho: expected 0 ≤ ρ < 1, got ${config.rho}`);
  if (!(config.sceneStd >= 0)) throw new RangeError(`sceneStd: expected ≥ 0, got ${config.sceneStd}`);
  if (!(config.rampFraction >= 0 && config.rampFraction <= 0.5)) throw new RangeError(`rampFraction: expected 0…0.5, got ${config.rampFraction}`);
  if (config.classes.length < 1) throw new RangeError('classes: expected at least one anomaly class');
  config.classes.forEach((c, i) => {
    if (!/^[a-z][a-z0-9-]*$/.test(c.name) || c.name === 'normal') throw new RangeError(`classes[${i}].name: expected a lowercase name other than 'normal', got '${c.name}'`);
    range(`classes[${i}].amplitude`, c.amplitude, 0);
    range(`classes[${i}].lengthFraction`, c.lengthFraction, 0);
    if (c.lengthFraction[1] > 1) throw new RangeError(`classes[${i}].lengthFraction: expected ≤ 1, got ${c.lengthFraction[1]}`);
    range(`classes[${i}].events`, c.events, 1, true);
    if (c.kind !== 'shift' && c.kind !== 'erratic') throw new RangeError(`classes[${i}].kind: expected 'shift' or 'erratic', got '${String(c.kind)}'`);
  });
}
