import type * as tf from '@tensorflow/tfjs-core';
import type { JsonValue } from '../module/module.js';
import type { RouteOptions, Router } from './router.js';
import { SoftmaxRouter } from './softmax-router.js';
import { TopKRouter } from './top-k-router.js';
import { SwitchRouter } from './switch-router.js';

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
  /** Training flag of the gradient check (default true). */
  gradientTraining?: boolean;
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
