import { childSeed, createRng, type Rng } from '@moe/runtime';
import { checkStreamConfig, type SplitSizes, type SyntheticStreamConfig } from './synthetic-config.js';
import type { SnippetVideo, VideoDataset } from './video.js';

/**
 * What stays fixed across the train, validation and test splits of one synthetic task: the configuration and
 * the unit class directions v_c (a camera network whose anomaly types look the same in every split).
 */
export interface SyntheticWorld {
  readonly config: SyntheticStreamConfig;
  /** [C][D] unit vectors, one per anomaly class. */
  readonly directions: readonly Float32Array[];
  readonly seed: number;
}

export function createSyntheticWorld(config: SyntheticStreamConfig, seed: number): SyntheticWorld {
  checkStreamConfig(config);
  const rng = createRng(childSeed(seed, 'directions'));
  const directions = config.classes.map(() => {
    const v = new Float32Array(config.dim);
    let norm = 0;
    for (let d = 0; d < config.dim; d++) {
      v[d] = rng.nextNormal();
      norm += v[d] * v[d];
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < config.dim; d++) v[d] /= norm;
    return v;
  });
  return { config, directions, seed };
}

const uniform = (rng: Rng, [lo, hi]: readonly [number, number]): number => lo + (hi - lo) * rng.next();
const uniformInt = (rng: Rng, [lo, hi]: readonly [number, number]): number => lo + rng.nextInt(hi - lo + 1);

/** Trapezoid ramp over an event of `length` snippets with `ramp` snippets up and down (values in (0, 1]). */
export function trapezoid(length: number, ramp: number): Float32Array {
  const g = new Float32Array(length);
  for (let t = 0; t < length; t++) g[t] = Math.min(1, (t + 1) / (ramp + 1), (length - t) / (ramp + 1));
  return g;
}

/** AR(1) background around a scene mean: f_t = μ + e_t, e_t = ρ·e_{t−1} + √(1−ρ²)·ε_t (unit stationary std). */
function background(rng: Rng, length: number, config: SyntheticStreamConfig): Float32Array {
  const { dim, rho, sceneStd } = config;
  const out = new Float32Array(length * dim);
  const innovation = Math.sqrt(1 - rho * rho);
  for (let d = 0; d < dim; d++) {
    const mu = sceneStd * rng.nextNormal();
    let e = rng.nextNormal();
    for (let t = 0; t < length; t++) {
      if (t > 0) e = rho * e + innovation * rng.nextNormal();
      out[t * dim + d] = mu + e;
    }
  }
  return out;
}

/** One video: normal when `classIndex` is 0, else with events of class `classIndex − 1`. */
export function generateVideo(world: SyntheticWorld, classIndex: number, seed: number, name: string): SnippetVideo {
  const { config } = world;
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex > config.classes.length) {
    throw new RangeError(`classIndex: expected 0…${config.classes.length}, got ${classIndex}`);
  }
  const rng = createRng(seed);
  const length = uniformInt(rng, config.length);
  const features = background(rng, length, config);
  const truth = new Uint8Array(length);
  if (classIndex > 0) {
    const spec = config.classes[classIndex - 1];
    const v = world.directions[classIndex - 1];
    const events = uniformInt(rng, spec.events);
    for (let e = 0; e < events; e++) {
      const eventLength = Math.max(1, Math.min(length, Math.round(uniform(rng, spec.lengthFraction) * length)));
      const start = rng.nextInt(length - eventLength + 1);
      const amplitude = uniform(rng, spec.amplitude);
      const g = trapezoid(eventLength, Math.round(config.rampFraction * eventLength));
      for (let i = 0; i < eventLength; i++) {
        const t = start + i;
        const sign = spec.kind === 'erratic' ? (rng.next() < 0.5 ? -1 : 1) : 1;
        const a = sign * amplitude * g[i];
        for (let d = 0; d < config.dim; d++) features[t * config.dim + d] += a * v[d];
        truth[t] = 1;
      }
    }
  }
  return { name, features, length, dim: config.dim, label: classIndex > 0 ? 1 : 0, classIndex, truth };
}

/** A split: `sizes.normal` normal videos and `sizes.anomalousPerClass` of every class, in a seeded order. */
export function generateSplit(world: SyntheticWorld, sizes: SplitSizes, split: string): VideoDataset {
  for (const [k, v] of Object.entries(sizes)) if (!Number.isInteger(v) || v < 0) throw new RangeError(`sizes.${k}: expected a non-negative integer, got ${v}`);
  const classes = world.config.classes;
  const plan: number[] = [...Array.from({ length: sizes.normal }, () => 0), ...classes.flatMap((_, c) => Array.from({ length: sizes.anomalousPerClass }, () => c + 1))];
  const videos = plan.map((classIndex, i) => generateVideo(world, classIndex, childSeed(world.seed, `${split}:${i}`), `synthetic-${split}-${i}-${classIndex === 0 ? 'normal' : classes[classIndex - 1].name}`));
  return { dim: world.config.dim, classes: ['normal', ...classes.map((c) => c.name)], videos };
}

/** The train / validation / test splits every experiment of the benchmark uses. */
export interface SyntheticTask {
  readonly world: SyntheticWorld;
  readonly train: VideoDataset;
  readonly validation: VideoDataset;
  readonly test: VideoDataset;
}

export const DEFAULT_TASK_SIZES = {
  train: { normal: 240, anomalousPerClass: 60 },
  validation: { normal: 40, anomalousPerClass: 10 },
  test: { normal: 80, anomalousPerClass: 20 },
} as const satisfies Record<'train' | 'validation' | 'test', SplitSizes>;

export function generateTask(config: SyntheticStreamConfig, seed: number, sizes: Record<'train' | 'validation' | 'test', SplitSizes> = DEFAULT_TASK_SIZES): SyntheticTask {
  const world = createSyntheticWorld(config, seed);
  return { world, train: generateSplit(world, sizes.train, 'train'), validation: generateSplit(world, sizes.validation, 'validation'), test: generateSplit(world, sizes.test, 'test') };
}
