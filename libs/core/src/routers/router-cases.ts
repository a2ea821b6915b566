import * as tf from '@tensorflow/tfjs-core';
import type { JsonValue } from '../module/module.js';
import type { RouteOptions, Router } from './router.js';
import { SoftmaxRouter } from './softmax-router.js';
import { TopKRouter } from './top-k-router.js';
import { SwitchRouter } from './switch-router.js';
import { ExpertChoiceRouter } from './expert-choice-router.js';
import { TopPRouter } from './top-p-router.js';
import { NullExpertRouter } from './null-expert-router.js';
import { DenseToSparseRouter } from './dense-to-sparse-router.js';
import { RecurrentRouter } from './recurrent-router.js';
import { UncertaintyRouter } from './uncertainty-router.js';
import { UncertaintyCalibratedRouter } from './uncertainty-calibrated-router.js';
import { BiasBalancedRouter } from './bias-balanced-router.js';
import { MultiGateRouter } from './multi-gate-router.js';
import { ClusterRouter } from './cluster-router.js';

/**
 * One entry per router configuration exercised by the shared contract spec (router-contract.spec.ts):
 * shapes, leaks, config round trip, gradient checks and argument errors. Not exported from the package.
 */
export interface RouterCase {
  name: string;
  make: () => Router;
  inputDim: number;
  numExperts: number;
  tokens: number;
  /** Extra route options (recurrent state, task index) built for an input. */
  options?: (x: tf.Tensor2D) => Partial<RouteOptions>;
  disposeOptions?: () => void;
  /** false: no trainable weights to check. */
  gradient?: boolean;
  /** Variables the checked output depends on (default: all trainable ones). */
  gradientVariables?: (router: Router) => tf.Variable[];
  /** Training flag of the gradient check (default true). */
  gradientTraining?: boolean;
  /** Finite-difference step of the gradient check (default 1e-2, checkGradients' default). */
  gradientEps?: number;
  /** [field, bad value, expected message] triples for config validation. */
  badConfig?: [string, JsonValue, RegExp][];
  /** Restrict to these backends (default: every backend the spec runs on). */
  backends?: string[];
}

const d = 6;
const E = 4;
// A large gate scale spreads the logits so a finite-difference probe of 1e-3 never flips a top-k choice.
const spread = { gateInitScale: 6 };

export const ROUTER_CASES: RouterCase[] = [
  {
    name: 'SoftmaxRouter',
    make: () => new SoftmaxRouter({ inputDim: d, numExperts: E, temperature: 0.7, gateHidden: [5], seed: 1 }),
    inputDim: d,
    numExperts: E,
    tokens: 5,
    badConfig: [['temperature', 0, /temperature must be a finite number in \(0, ∞\); got 0/]],
  },
  {
    name: 'TopKRouter (learned noise, jitter)',
    make: () => new TopKRouter({ inputDim: d, numExperts: E, k: 2, noise: 'learned', jitter: 0.01, seed: 2, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [
      ['k', 5, /k must be an integer in \[1, 4\]; got 5/],
      ['noise', 'loud', /noise must be one of 'none', 'learned', 'gaussian'; got "loud"/],
      ['capacityFactor', -1, /capacityFactor must be a finite number in \(0, ∞\); got -1/],
    ],
  },
  {
    name: 'TopKRouter (gaussian noise, k=3, unnormalised)',
    make: () => new TopKRouter({ inputDim: d, numExperts: E, k: 3, noise: 'gaussian', normalize: false, seed: 3, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
  },
  {
    name: 'SwitchRouter',
    make: () => new SwitchRouter({ inputDim: d, numExperts: E, seed: 4, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [['k', 2, /unknown config field\(s\) 'k'/]],
  },
];

ROUTER_CASES.push(
  {
    name: 'ExpertChoiceRouter',
    make: () => new ExpertChoiceRouter({ inputDim: d, numExperts: E, capacityFactor: 1.5, seed: 5, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [['capacityFactor', 0, /capacityFactor must be a finite number in \(0, ∞\); got 0/]],
  },
  {
    name: 'TopPRouter',
    make: () => new TopPRouter({ inputDim: d, numExperts: E, threshold: 0.6, seed: 6, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [['threshold', 1.5, /threshold must be a finite number in \(0, 1\]; got 1.5/]],
  },
  {
    name: 'NullExpertRouter',
    make: () => new NullExpertRouter({ inputDim: d, numExperts: E, numNullExperts: 2, k: 3, seed: 7, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [['k', 7, /k must be an integer in \[1, 6\]; got 7/]],
  },
);

/** Sets a router's gate weight 'gate.w' to the identity, so input rows are the logits (needs d = gate outputs). */
export function identityGate(r: Router): void {
  const weights = r.getWeights();
  const n = weights['gate.w'].shape[0];
  weights['gate.w'].dispose();
  weights['gate.w'] = tf.eye(n);
  r.setWeights(weights);
  tf.dispose(Object.values(weights));
}

let recurrentState: tf.Tensor2D | undefined;

ROUTER_CASES.push(
  {
    name: 'DenseToSparseRouter (dense phase)',
    make: () => new DenseToSparseRouter({ inputDim: d, numExperts: E, switchStep: 100, seed: 8, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [
      ['minTemperature', 2, /minTemperature must be a finite number in \(0, 1\]; got 2/],
      ['schedule', 'cosine', /schedule must be one of 'exponential', 'linear'; got "cosine"/],
    ],
  },
  {
    name: 'DenseToSparseRouter (sparse phase)',
    make: () => {
      const r = new DenseToSparseRouter({ inputDim: d, numExperts: E, switchStep: 10, hardK: 2, seed: 9, ...spread });
      r.setStep(20);
      return r;
    },
    inputDim: d,
    numExperts: E,
    tokens: 6,
  },
  {
    name: 'RecurrentRouter (carrying a previous layer state)',
    make: () => new RecurrentRouter({ inputDim: d, numExperts: E, hiddenSize: 5, seed: 10, ...spread }),
    options: (x) => {
      recurrentState?.dispose();
      recurrentState = tf.randomNormal([x.shape[0], 5], 0, 1, 'float32', 3) as tf.Tensor2D;
      return { state: recurrentState };
    },
    disposeOptions: () => {
      recurrentState?.dispose();
      recurrentState = undefined;
    },
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [['hiddenSize', 0, /hiddenSize must be an integer ≥ 1; got 0/]],
  },
  {
    name: 'UncertaintyRouter',
    // A large ridge keeps Σ well conditioned so float32 finite differences are meaningful.
    make: () => new UncertaintyRouter({ inputDim: d, numExperts: E, samples: 4, dropout: 0.2, ridge: 0.05, seed: 11, ...spread }),
    // Σ⁻¹ amplifies float32 rounding, so small steps are noisy: for x[10] on cpu the central difference gives
    // 7.66e-3 (step 1e-3), 7.155e-3 (1e-2), 7.128e-3 (3e-2) against the analytic 7.121e-3; wasm at 1e-2 gave 6.78e-3.
    gradientEps: 3e-2,
    inputDim: d,
    numExperts: E,
    tokens: 5,
    badConfig: [['samples', 1, /samples must be an integer ≥ 2; got 1/]],
  },
  {
    name: 'UncertaintyCalibratedRouter',
    // The fixed route seed fixes the dropout masks, so finite differences probe one smooth function.
    make: () => new UncertaintyCalibratedRouter({ inputDim: d, numExperts: E, k: 2, samples: 4, dropout: 0.2, seed: 15, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [
      ['dropout', 0, /dropout must be a finite number in \(0, 1\) \(without dropout the samples are identical\); got 0/],
      ['kappa', -1, /kappa must be a finite number in \[0, ∞\); got -1/],
      ['k', 5, /k must be an integer in \[1, 4\]; got 5/],
    ],
  },
  {
    name: 'BiasBalancedRouter',
    make: () => new BiasBalancedRouter({ inputDim: d, numExperts: E, k: 2, routeScale: 2.5, numGroups: 2, topKGroups: 1, seed: 12, ...spread }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    badConfig: [['score', 'tanh', /score must be one of 'sigmoid', 'softmax'; got "tanh"/]],
  },
  {
    name: 'MultiGateRouter (task 1)',
    make: () => new MultiGateRouter({ inputDim: d, numExperts: E, numTasks: 3, seed: 13 }),
    options: () => ({ task: 1 }),
    gradientVariables: (r) => [...r.namedVariables()].filter(([name]) => name.startsWith('task1.')).map(([, v]) => v),
    inputDim: d,
    numExperts: E,
    tokens: 5,
    badConfig: [['numTasks', 0, /numTasks must be an integer ≥ 1; got 0/]],
  },
  {
    name: 'ClusterRouter',
    make: () => new ClusterRouter({ inputDim: d, numClusters: E, seed: 14 }),
    inputDim: d,
    numExperts: E,
    tokens: 6,
    gradient: false,
    badConfig: [['momentum', 1.5, /momentum must be a finite number in \[0, 1\]; got 1.5/]],
  },
);
