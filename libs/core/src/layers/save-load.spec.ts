// Save / load: a module is rebuilt from its config (`moduleFromConfig`) and its weights, through the
// runtime's checkpoint files, and must then compute bit-identical outputs.
import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, saveCheckpoint } from '@moe/runtime';
import { describeEachBackend, testBackends } from '@moe/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DenseFfn } from '../experts/dense-ffn.js';
import { FfnExperts } from '../experts/ffn-experts.js';
import { FilmExperts } from '../experts/film-experts.js';
import { Linear } from '../experts/linear.js';
import { LoraExperts } from '../experts/lora-experts.js';
import { randomizeVariables } from '@moe/testing';
import type { Module } from '../module/module.js';
import { Home } from '../multitask/home.js';
import { Mmoe } from '../multitask/mmoe.js';
import { disposeMultiTaskForward } from '../multitask/multitask-forward.js';
import { Ple } from '../multitask/ple.js';
import { SwitchRouter } from '../routers/switch-router.js';
import { TopKRouter } from '../routers/top-k-router.js';
import { disposeRoutingStats } from '../telemetry/routing-stats.js';
import './builtin-kinds.js';
import { FrequencyAdapterMixture } from './frequency-adapter-mixture.js';
import { MixtureOfAdapters } from './mixture-of-adapters.js';
import { moduleFromConfig, moduleSpec, type ModuleSpec } from './module-registry.js';
import { MoeLayer, type MoeForward } from './moe-layer.js';

const D = 6;

function moeOut(f: MoeForward): tf.Tensor {
  tf.dispose([f.aux.total, ...Object.values(f.aux.parts)]);
  disposeRoutingStats(f.stats);
  return f.output;
}

type Case = [string, () => Module, (m: Module, x: tf.Tensor2D) => tf.Tensor];
const cases: Case[] = [
  ['MoeLayer (top-2, capacity, shared expert)', () => new MoeLayer(new TopKRouter({ inputDim: D, numExperts: 4, k: 2, capacityFactor: 1, seed: 2 }), new FfnExperts({ numExperts: 4, inputDim: D, hiddenDim: 5, activation: 'swiglu', seed: 3 }), { shared: new DenseFfn({ inputDim: D, hiddenDim: 4, seed: 4 }), zLossWeight: 1e-3 }),
    (m, x) => moeOut((m as MoeLayer).apply(x, { training: false }))],
  ['MoeLayer (Switch, FiLM experts)', () => new MoeLayer(new SwitchRouter({ inputDim: D, numExperts: 3, seed: 5 }), new FilmExperts({ numExperts: 3, inputDim: D, modulation: 'linear', seed: 6 })),
    (m, x) => moeOut((m as MoeLayer).apply(x, { training: false }))],
  ['MixtureOfAdapters (LoRA)', () => new MixtureOfAdapters(new Linear({ inputDim: D, outputDim: 3, trainable: false, seed: 1 }), new TopKRouter({ inputDim: D, numExperts: 3, k: 2, dropless: true }), new LoraExperts({ numExperts: 3, inputDim: D, outputDim: 3, rank: 2 })),
    (m, x) => moeOut((m as MixtureOfAdapters).apply(x, { training: false }))],
  ['Mmoe', () => new Mmoe({ inputDim: D, numTasks: 2, numExperts: 3, expertHidden: 4, outputDim: 2, gateHidden: [3], seed: 7 }),
    (m, x) => { const f = (m as Mmoe).apply(x); const o = tf.concat(f.outputs, 1); disposeMultiTaskForward(f); return o; }],
  ['Ple', () => new Ple({ inputDim: D, numTasks: 2, levels: 2, sharedExperts: 1, taskExperts: 1, expertHidden: 4, outputDim: 3, seed: 8 }),
    (m, x) => { const f = (m as Ple).apply(x); const o = tf.concat(f.outputs, 1); disposeMultiTaskForward(f); return o; }],
  ['Home (running statistics saved)', () => new Home({ inputDim: D, tasksPerCategory: [1, 1], metaShared: 2, metaPerCategory: 1, taskShared: 1, taskPerCategory: 1, expertHidden: 4, outputDim: 3, seed: 9 }),
    (m, x) => { const f = (m as Home).apply(x); const o = tf.concat(f.outputs, 1); disposeMultiTaskForward(f); return o; }],
  ['FrequencyAdapterMixture', () => new FrequencyAdapterMixture({ channels: D, adapterDim: 3, seed: 10 }),
    (m, x) => moeOut((m as FrequencyAdapterMixture).apply(tf.reshape(x, [1, 2, 4, D]) as tf.Tensor4D))],
];

describeEachBackend('save / load', () => {
  for (const [name, make, run] of cases) {
    it(`${name}: config + checkpoint round trip gives bit-identical outputs`, async () => {
      const original = make();
      // Move every weight (and running statistic) away from its seeded initial value, so the rebuilt
      // module can only match by loading the checkpoint.
      randomizeVariables(original.namedVariables(), 21, 0.3);
      const x = tf.randomNormal([8, D], 0, 1, 'float32', 1) as tf.Tensor2D;
      const before = run(original, x);
      const dir = await mkdtemp(join(tmpdir(), 'moe-core-ckpt-'));
      try {
        const weights = original.getWeights();
        await saveCheckpoint(dir, { config: { ...moduleSpec(original) }, weights });
        tf.dispose(Object.values(weights));
        const loaded = await loadCheckpoint(dir);
        const rebuilt = moduleFromConfig(loaded.config as unknown as ModuleSpec);
        rebuilt.setWeights(loaded.weights);
        tf.dispose(Object.values(loaded.weights));
        expect(rebuilt.kind).toBe(original.kind);
        const after = run(rebuilt, x);
        expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
        tf.dispose(after);
        rebuilt.dispose();
      } finally {
        await rm(dir, { recursive: true, force: true });
        tf.dispose([x, before]);
        original.dispose();
      }
    });
  }
}, testBackends().filter((b) => b !== 'webgpu'));

describe('moduleFromConfig errors', () => {
  it('names the unknown kind and malformed children', () => {
    expect(() => moduleFromConfig({ kind: 'NoSuchLayer', config: {} })).toThrow(/unknown kind 'NoSuchLayer' \(registered: .*MoeLayer/);
    expect(() => moduleFromConfig({ kind: 'MoeLayer', config: { router: 3 } })).toThrow(/MoeLayer: config.router must be a module spec \{kind, config\}; got 3/);
    expect(() => moduleFromConfig({ kind: 'MoeLayer', config: { router: { kind: 'FfnExperts', config: { numExperts: 2, inputDim: 2, hiddenDim: 2 } }, experts: { kind: 'FfnExperts', config: { numExperts: 2, inputDim: 2, hiddenDim: 2 } } } })).toThrow(/MoeLayer: config.router must describe a Router; got kind 'FfnExperts'/);
  });
});
