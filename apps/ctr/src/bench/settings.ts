import type { SyntheticConfigInput } from '../data/synthetic-config.js';
import type { ModelConfigInput } from '../model/model-config.js';
import type { TrainOptions } from '../train/trainer.js';

/** One named model variant of a benchmark setting. */
export interface Variant {
  /** Short id for `--models` and cache file names, unique within a setting. */
  id: string;
  name: string;
  config: ModelConfigInput;
}

/** One row of ctr.md §4.2's pre-registered expectations: a generator regime and the models compared in it. */
export interface Setting {
  id: 'null' | 'domain' | 'cluster' | 'sparse-tasks';
  title: string;
  expectation: string;
  generator: Omit<SyntheticConfigInput, 'rows' | 'seed'>;
  variants: Variant[];
  /** Fraction of the suite's row count (the 4-task HoME setting is the slowest per row). */
  rowsFactor?: number;
}

/** Equal budgets: embedding 8, bottoms/towers [64, 32] → [16]; experts [32, 16] so 4 experts ≈ 2 bottoms. */
const base = { hidden: [64, 32], tower: [16] };
const expert = { hidden: [32, 16], tower: [16] };

const SB: Variant = { id: 'shared-bottom', name: 'Shared-Bottom', config: { kind: 'shared-bottom', ...base } };
const PER_DOMAIN: Variant = { id: 'per-domain', name: 'Per-domain towers', config: { kind: 'per-domain', ...base } };
const MMOE: Variant = { id: 'mmoe', name: 'MMoE (domain gates)', config: { kind: 'mmoe', ...expert, numExperts: 4 } };
const PLE: Variant = { id: 'ple', name: 'PLE/CGC (domain gates)', config: { kind: 'ple', ...expert, sharedExperts: 2, specificExperts: 1 } };
const STAR: Variant = { id: 'star', name: 'STAR', config: { kind: 'star', ...base } };
const ADAPT: Variant = { id: 'adaptdhm', name: 'AdaptDHM (K=4)', config: { kind: 'adaptdhm', ...base, clusters: 4 } };
const HOME: Variant = { id: 'home', name: 'HoME', config: { kind: 'home', ...expert } };

const world = { numDomains: 8, zipfExponent: 1, numClusters: 4, numUsers: 600, numItems: 300, numCategories: 20 };

export const SETTINGS: Setting[] = [
  {
    id: 'null',
    title: 'δ = κ = 0 (shared signal only)',
    expectation: 'all models ≈ equal within seed noise (an MoE "win" here signals leakage or a bug)',
    generator: { ...world, xi: 0.5, domainSignal: 0, clusterSignal: 0 },
    variants: [SB, PER_DOMAIN, MMOE, PLE, STAR, ADAPT, HOME],
  },
  {
    id: 'domain',
    title: 'δ > 0, κ = 0 (domain-specific signal)',
    expectation: 'domain-aware (STAR, MMoE/PLE with domain gates) > Shared-Bottom; gains concentrated in tail domains; AdaptDHM ≈ STAR only if K ≥ #domain groups',
    generator: { ...world, xi: 0.5, domainSignal: 1, clusterSignal: 0 },
    variants: [SB, PER_DOMAIN, MMOE, PLE, STAR, ADAPT],
  },
  {
    id: 'cluster',
    title: 'κ > 0, ξ = 1 (clusters independent of domains)',
    expectation: "AdaptDHM and input-gated MoE > domain-indexed models; AdaptDHM's cluster×domain table recovers z (NMI vs truth)",
    generator: { ...world, xi: 1, domainSignal: 0, clusterSignal: 1 },
    variants: [
      SB,
      PER_DOMAIN,
      STAR,
      { id: 'mmoe', name: 'MMoE (input gates)', config: { kind: 'mmoe', ...expert, numExperts: 4, gate: 'task' } },
      ADAPT,
      { id: 'adaptdhm-k1', name: 'AdaptDHM K=1 (ablation)', config: { kind: 'adaptdhm', ...base, clusters: 1 } },
      { id: 'adaptdhm-domain-routing', name: 'AdaptDHM domain routing (ablation)', config: { kind: 'adaptdhm', ...base, routing: 'domain' } },
    ],
  },
  {
    id: 'sparse-tasks',
    rowsFactor: 2 / 3,
    title: 'one dense + three sparse tasks in 2 categories, many experts',
    expectation: 'MMoE shows collapse (zero-activation rate, one-hot gates); HoME-style BN+Swish + self-gate raise sparse-task AUC',
    generator: {
      ...world,
      xi: 0.5,
      domainSignal: 0.3,
      baseCtr: [0.12, 0.08],
      extraTasks: [
        { name: 'like', category: 'interact', baseRate: 0.01 },
        { name: 'follow', category: 'passive', baseRate: 0.006 },
        { name: 'share', category: 'passive', baseRate: 0.004 },
      ],
    },
    variants: [
      { id: 'mmoe', name: 'MMoE (8 experts)', config: { kind: 'mmoe', ...expert, numExperts: 8, gate: 'task' } },
      HOME,
      { id: 'home-no-bn-swish', name: 'HoME − BN+Swish', config: { kind: 'home', ...expert, home: { bnSwish: false } } },
      { id: 'home-no-feature-gate', name: 'HoME − feature-gate', config: { kind: 'home', ...expert, home: { featureGate: false } } },
      { id: 'home-no-self-gate', name: 'HoME − self-gate', config: { kind: 'home', ...expert, home: { selfGate: false } } },
      { id: 'home-no-hierarchy', name: 'HoME − hierarchy mask', config: { kind: 'home', ...expert, home: { hierarchy: false } } },
    ],
  },
];

export interface BenchSizes {
  rows: number;
  seeds: number;
  train: Omit<TrainOptions, 'seed' | 'validation'>;
}

/** Sizes chosen so the full suite fits ~35 min on a shared 2-core machine (wasm); --quick for a smoke run. */
export function benchSizes(quick: boolean): BenchSizes {
  return quick
    ? { rows: 8000, seeds: 2, train: { epochs: 2, batchSize: 512, learningRate: 3e-3, embeddingLearningRate: 2e-2, patience: 1 } }
    : { rows: 30000, seeds: 5, train: { epochs: 4, batchSize: 512, learningRate: 3e-3, embeddingLearningRate: 2e-2, patience: 1 } };
}
