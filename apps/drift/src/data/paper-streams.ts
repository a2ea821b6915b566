import { chainDrifts, LedGenerator, RandomRbfGenerator, SeaGenerator, type InstanceStream } from '@moe/stream';
import type { StreamKnobs } from './stream-knobs.js';

/** The DriftMoE paper's synthetic streams (drift.md §2.1), built as CapyMOA 0.10 builds them. */
export const PAPER_STREAMS = ['led_a', 'led_g', 'sea_a', 'sea_g', 'rbf_m', 'rbf_f'] as const;
export type PaperStream = (typeof PAPER_STREAMS)[number];

const ABRUPT = [249_975, 499_975, 749_975].map((position) => ({ position, width: 50 }));
const GRADUAL = [225_000, 475_000, 725_000].map((position) => ({ position, width: 50_000 }));

/** Router outputs the authors' MoE-Task uses for each stream (`dataset_configs`: RBF says 5 classes). */
export const TASK_OUTPUTS: Partial<Record<string, number>> = { rbf_m: 5, rbf_f: 5 };

export function isPaperStream(name: string): name is PaperStream {
  return (PAPER_STREAMS as readonly string[]).includes(name);
}

/**
 * `seed` is every concept's instance seed (and RBF's model seed); every drift uses MOA's default seed 1.
 * Drift positions are sigmoid centres (MOA `-p`), as CapyMOA 0.10 passes them. `knobs` (default none: the
 * paper's streams) change generator settings for held-out evaluations.
 */
export function paperStream(name: PaperStream, seed: number, knobs: StreamKnobs = {}): InstanceStream {
  const s = seed + (knobs.streamSeedOffset ?? 0);
  const drifts = (base: { position: number; width: number }[]) => base.map((d) => ({ position: d.position, width: knobs.driftWidth ?? d.width }));
  const noise = knobs.noise !== undefined ? { noisePercentage: knobs.noise } : {};
  switch (name) {
    case 'led_a':
    case 'led_g':
      return chainDrifts([1, 3, 5, 7].map((d) => new LedGenerator({ instanceRandomSeed: s, numberAttributesDrift: d, ...noise })), drifts(name === 'led_a' ? ABRUPT : GRADUAL), knobs.driftSeed ?? 1);
    case 'sea_a':
    case 'sea_g':
      return chainDrifts([1, 2, 4, 1].map((f) => new SeaGenerator({ function: f, instanceRandomSeed: s, ...noise })), drifts(name === 'sea_a' ? ABRUPT : GRADUAL), knobs.driftSeed ?? 1);
    case 'rbf_m':
    case 'rbf_f':
      return new RandomRbfGenerator({
        modelRandomSeed: s,
        instanceRandomSeed: s,
        numCentroids: knobs.centroids ?? 50,
        numDriftCentroids: knobs.driftCentroids ?? 50,
        speedChange: knobs.speed ?? (name === 'rbf_m' ? 1e-4 : 1e-3),
      });
  }
}
