import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { discardStateUpdates, inferenceContext, trainingContext } from '@moe/core';
import { checkVariableGradients, describeEachBackend, expectClose, randomizeVariables, testBackends } from '@moe/testing';
import { expect, it } from 'vitest';
import { generateSynthetic } from '../data/synthetic-generator.js';
import { selectRows } from '../features/encoded-batch.js';
import { FeatureProcessor } from '../features/feature-processor.js';
import { createModel } from './create-model.js';
import { disposeInputs, type CtrModel, type ModelInputs } from './ctr-model.js';
import { MODEL_KINDS, type ModelConfigInput } from './model-config.js';

// Formula oracles: each model's forward recomputed by hand, in plain JS on the host, from its weights — for
// 2 rows of different domains, 2 experts / clusters, every weight randomised (no identity-initialised parts).
const data = generateSynthetic({
  rows: 300, seed: 4, numDomains: 3, numUsers: 20, numItems: 20, numCategories: 4, seqLen: 2,
  extraTasks: [{ name: 'like', baseRate: 0.05, category: 'passive' }],
});
const processor = FeatureProcessor.fit({ ...data.featureConfig, embeddingDim: 2 }, data.rows);
const encoded = processor.transform(data.rows);
// Two rows of different domains (the oracle must pick per-domain gates, towers and heads correctly).
const first = 0;
const second = Array.from(encoded.domain).findIndex((d) => d !== encoded.domain[first]);
const pair = selectRows(encoded, Int32Array.from([first, second]));
const tiny = { hidden: [3], tower: [2], numExperts: 2, sharedExperts: 1, specificExperts: 1, clusters: 2, seed: 3, home: { loraRank: 2 } };
const backends = testBackends().filter((b) => b === 'cpu' || b === 'wasm');

type Mat = number[][];
/** A weight by name as nested arrays; the caller knows its rank (vector, matrix, or a stack of matrices). */
type Weights = (name: string) => number[] & Mat & Mat[];
const lin = (x: number[], w: Mat, b: number[]) => b.map((bj, j) => x.reduce((a, xi, i) => a + xi * w[i][j], bj));
const relu = (v: number[]) => v.map((a) => Math.max(0, a));
const softmax = (v: number[]) => {
  const m = Math.max(...v);
  const e = v.map((a) => Math.exp(a - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((a) => a / s);
};
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const hadamard = (a: Mat, b: Mat) => a.map((row, i) => row.map((v, j) => v * b[i][j]));
const add = (a: number[], b: number[]) => a.map((v, i) => v + b[i]);

/** Weights by name as nested arrays. */
async function weightsOf(model: CtrModel): Promise<Weights> {
  const w = model.getWeights();
  const out: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(w)) out[k] = await t.array();
  tf.dispose(Object.values(w));
  return (name: string) => {
    if (!(name in out)) throw new Error(`oracle: no weight '${name}' (have ${Object.keys(out).join(', ')})`);
    return out[name] as number[] & Mat & Mat[];
  };
}

/** logit_t = tower_t(h_t)·w_t[d] + b_t[d] + outputBias_t (every model's domain-task heads). */
function heads(W: Weights, perTask: number[][], d: number, T: number): number[] {
  return Array.from({ length: T }, (_, t) => {
    const h = relu(lin(perTask[t], W(`heads.tower${t}.w0`), W(`heads.tower${t}.b0`)));
    return dot(h, W(`heads.w${t}`)[d]) + W(`heads.b${t}`)[d][0] + W('outputBias')[t];
  });
}

/** A star-product tower g: ReLU(x (W0 ⊙ W0_g) + b0 + b0_g) (W1 ⊙ W1_g) + b1 + b1_g. */
function starTower(W: Weights, prefix: string, x: number[], g: number): number[] {
  const h = relu(lin(x, hadamard(W(`${prefix}.w0`), W(`${prefix}.towerW0`)[g]), add(W(`${prefix}.b0`), W(`${prefix}.towerB0`)[g])));
  return lin(h, hadamard(W(`${prefix}.w1`), W(`${prefix}.towerW1`)[g]), add(W(`${prefix}.b1`), W(`${prefix}.towerB1`)[g]));
}

const ORACLES: Record<string, (W: Weights, x: number[], d: number, T: number, routeWidth: number) => number[]> = {
  'shared-bottom': (W, x, d, T) => {
    const h = relu(lin(x, W('bottom.w0'), W('bottom.b0')));
    return heads(W, Array(T).fill(h), d, T);
  },
  mmoe: (W, x, d, T) => {
    const experts = [0, 1].map((e) => relu(lin(x, W(`mmoe.experts.expert${e}.w0`), W(`mmoe.experts.expert${e}.b0`))));
    const mixed = Array.from({ length: T }, (_, t) => {
      // Gate columns: [domain 0: experts 0, 1 | domain 1: …]; the row's domain picks its block.
      const logits = lin(x, W(`mmoe.gate${t}.router.gate.w`), W(`mmoe.gate${t}.router.gate.b`)).slice(d * 2, d * 2 + 2);
      const g = softmax(logits);
      return experts[0].map((_, j) => g[0] * experts[0][j] + g[1] * experts[1][j]);
    });
    return heads(W, mixed, d, T);
  },
  ple: (W, x, d, T) => {
    // Experts [shared 0 | task t: 1 + t]; task t's gate sees [shared, own].
    const experts = Array.from({ length: 1 + T }, (_, e) => relu(lin(x, W(`ple.level0.experts.expert${e}.w0`), W(`ple.level0.experts.expert${e}.b0`))));
    const mixed = Array.from({ length: T }, (_, t) => {
      const g = softmax(lin(x, W(`ple.level0.gate${t}.router.gate.w`), W(`ple.level0.gate${t}.router.gate.b`)).slice(d * 2, d * 2 + 2));
      return experts[0].map((_, j) => g[0] * experts[0][j] + g[1] * experts[1 + t][j]);
    });
    return heads(W, mixed, d, T);
  },
  star: (W, x, d) => {
    const [mean, variance, gamma, beta] = ['movingMean', 'movingVar', 'gamma', 'beta'].map((n) => W(`star.norm.norm.${n}`) as number[]);
    const z = x.map((v, i) => ((v - mean[i]) / Math.sqrt(variance[i] + 1e-3)) * gamma[i] * W('star.norm.domainGamma')[d][i] + beta[i] + W('star.norm.domainBeta')[d][i]);
    const aux = lin(relu(lin(x, W('star.aux.w0'), W('star.aux.b0'))), W('star.aux.w1'), W('star.aux.b1'));
    return add(add(starTower(W, 'star.towers', z, d), aux), W('outputBias'));
  },
  adaptdhm: (W, x, d, _T, routeWidth) => {
    // Cluster = arg-max similarity of the field-embedding slice to the centres (no update at inference).
    const sims = (W('adaptdhm.router.centres') as Mat).map((c) => dot(c, x.slice(0, routeWidth)));
    const k = sims[0] >= sims[1] ? 0 : 1;
    return add(add(starTower(W, 'adaptdhm.towers', x, k), W('domainBias')[d]), W('outputBias'));
  },
  'per-domain': (W, x, d) => {
    const h = relu(lin(x, W('bottom.w0'), W('bottom.b0')));
    const t = relu(lin(h, W(`towers.expert${d}.w0`), W(`towers.expert${d}.b0`)));
    return add(lin(t, W(`towers.expert${d}.w1`), W(`towers.expert${d}.b1`)), W('outputBias'));
  },
};

/** A tiny model with every weight drawn in [-scale, scale] (moving variances in [0.5, 1.5]). */
function build(kind: string, scale: number): CtrModel {
  const model = createModel(processor.layout, { kind, ...tiny } as ModelConfigInput);
  randomizeVariables(new Map([...model.namedVariables()].filter(([k]) => !k.endsWith('movingVar') && !k.endsWith('centres'))), 17, scale);
  for (const [k, v] of model.namedVariables()) if (k.endsWith('movingVar')) tf.tidy(() => v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', 5)));
  return model;
}

function prepared(model: CtrModel, training: boolean): ModelInputs {
  const { inputs } = model.prepareInputs(pair);
  inputs.groups = model.route(inputs, training);
  return inputs;
}

describeEachBackend('CTR models against formula oracles', () => {
  for (const kind of Object.keys(ORACLES)) {
    it(`${kind}: forward = hand-computed formula on 2 rows of different domains`, async () => {
      // Scale 1: gates and per-domain parts far enough apart that picking the wrong domain's moves the logits > 1e-3.
      const model = build(kind, 1);
      const inputs = prepared(model, false);
      const out = tf.tidy(() => model.forward(inputs, inferenceContext()));
      const xT = tf.tidy(() => model.embed(inputs));
      const x = (await xT.array()) as Mat;
      const W = await weightsOf(model);
      const T = model.numTasks;
      const expected = x.flatMap((row, r) => ORACLES[kind](W, row, inputs.domain[r], T, model.embeddingWidth));
      expect(inputs.domain[0]).not.toBe(inputs.domain[1]);
      await expectClose(out, expected, { atol: 2e-5 }, kind);
      tf.dispose([out, xT]);
      disposeInputs(inputs);
      model.dispose();
    });
  }

  for (const kind of MODEL_KINDS) {
    it(`${kind}: every parameter's gradient matches finite differences (training mode, routing held fixed)`, async () => {
      // Scale 0.6: away from the initial symmetries, short of saturated softmaxes and BatchNorms.
      const model = build(kind, 0.6);
      const { inputs } = model.prepareInputs(selectRows(encoded, Int32Array.from({ length: 10 }, (_, i) => i)));
      inputs.groups = model.route(inputs, false);
      const probe = tf.randomUniform([10, model.numTasks], 0.5, 1.5, 'float32', 8);
      const loss = () => {
        const ctx = trainingContext();
        const l = tf.sum(tf.mul(model.forward(inputs, ctx), probe)) as tf.Scalar;
        discardStateUpdates(ctx);
        return l;
      };
      // eps 1e-3 keeps central differences off the ReLU kinks of these tiny networks; floor: see @moe/testing.
      await checkVariableGradients(loss, model.trainableVariables(), { eps: 1e-3, rtol: 5e-2, maxCoordinates: 2 });
      probe.dispose();
      disposeInputs(inputs);
      model.dispose();
    });
  }
}, backends);
