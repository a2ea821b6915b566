import { JavaRandom } from '@moe/stream';
import { describe, expect, it } from 'vitest';
import { bceGradient } from './bce-gradient.js';
import { MlpRouter, type MlpRouterOptions, type MlpRouterState } from './mlp-router.js';

const isFloat32 = (a: ArrayLike<number>) => Array.from(a).every((v) => Math.fround(v) === v);

/** `steps` Adam steps on 3-instance batches of sparse Gaussian inputs and random multi-hot targets. */
function train(r: MlpRouter, rnd: JavaRandom, steps: number, dropout: boolean, perInstance = false): void {
  const acts = [r.newActivations(), r.newActivations(), r.newActivations()];
  const grads = acts.map(() => new Float64Array(r.e));
  for (let step = 0; step < steps; step++) {
    r.zeroGrad();
    for (const [b, act] of acts.entries()) {
      const x = Array.from({ length: r.d }, (_, i) => (i % 3 === 0 ? 0 : rnd.nextGaussian()));
      r.forward(x, act, dropout);
      bceGradient(act.logits, Array.from({ length: r.e }, () => (rnd.nextDouble() < 0.4 ? 1 : 0)), 3 * r.e, grads[b]);
    }
    if (perInstance) acts.forEach((act, b) => r.accumulate(act, grads[b], dropout));
    else r.accumulateBatch(acts, grads, acts.length, dropout);
    r.step();
  }
}

describe('MlpRouter', () => {
  it('back-propagates the BCE gradient of every parameter (finite differences)', () => {
    const r = new MlpRouter({ inputs: 3, outputs: 4, hidden1: 6, hidden2: 5, seed: 7, dropout: 0 });
    const x = [0.3, -1.2, 2];
    const target = [1, 0, 0, 1];
    const loss = () => {
      const z = r.forward(x, r.newActivations());
      let l = 0;
      for (let j = 0; j < z.length; j++) l += (Math.max(z[j], 0) - z[j] * target[j] + Math.log1p(Math.exp(-Math.abs(z[j])))) / z.length;
      return l;
    };
    const act = r.newActivations();
    r.forward(x, act);
    const g = new Float64Array(4);
    bceGradient(act.logits, target, 4, g);
    r.zeroGrad();
    r.accumulate(act, g);
    const eps = 1e-6;
    for (let i = 0; i < r.params.length; i++) {
      const keep = r.params[i];
      r.params[i] = keep + eps;
      const up = loss();
      r.params[i] = keep - eps;
      const down = loss();
      r.params[i] = keep;
      expect(r.grads[i]).toBeCloseTo((up - down) / (2 * eps), 7);
    }
  });

  it('accumulates a batch bit-identically to instance by instance (odd hidden width, dropout on)', () => {
    const options = { inputs: 7, outputs: 5, hidden1: 13, hidden2: 9, seed: 11, dropout: 0.3, lr: 0.01 };
    const batched = new MlpRouter(options);
    const single = new MlpRouter(options);
    train(batched, new JavaRandom(5), 20, true);
    train(single, new JavaRandom(5), 20, true, true);
    expect(Array.from(batched.params)).toEqual(Array.from(single.params));
  });

  it('keeps its arithmetic: pinned parameters after 40 steps (float64 and float32)', () => {
    // Pinned from the DriftMoE app's router before it moved to @moe/core: any change to the order of the
    // float operations changes these bits (and the drift bench's cached results would no longer reproduce).
    for (const [float32, want] of PINNED) {
      const r = new MlpRouter({ inputs: 7, outputs: 5, hidden1: 13, hidden2: 9, seed: 11, dropout: 0.3, lr: 0.01, float32 });
      train(r, new JavaRandom(5), 40, true);
      expect([r.params[0], r.params[100], r.params[r.params.length - 1]]).toEqual(want);
      expect(isFloat32(r.params)).toBe(float32);
    }
  });

  it('restores its state (parameters, Adam, dropout RNG) and resumes bit-identically', () => {
    const options = { inputs: 4, outputs: 3, hidden1: 8, hidden2: 6, seed: 3 };
    const a = new MlpRouter(options);
    train(a, new JavaRandom(1), 5, true);
    const b = new MlpRouter({ ...options, seed: 99 });
    b.setState(JSON.parse(JSON.stringify(a.getState())) as MlpRouterState);
    train(a, new JavaRandom(2), 5, true);
    train(b, new JavaRandom(2), 5, true);
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
    const smaller = new MlpRouter({ ...options, hidden2: 5 });
    expect(() => smaller.setState(a.getState())).toThrow(expect.objectContaining({ name: 'MoeInputError', code: 'invalid_weights', field: 'params', message: expect.stringMatching(/^MlpRouter: state must hold \d+ parameters; got \d+$/) }));
  });

  it('float32 init rounds the Xavier draws', () => {
    expect(isFloat32(new MlpRouter({ inputs: 3, outputs: 2, float32: true }).params)).toBe(true);
    expect(isFloat32(new MlpRouter({ inputs: 3, outputs: 2 }).params)).toBe(false);
  });

  it('rejects bad options naming the field', () => {
    const cases: [Partial<MlpRouterOptions> & Record<string, unknown>, string, RegExp][] = [
      [{ inputs: 0 }, 'inputs', /MlpRouter: inputs must be an integer ≥ 1; got 0/],
      [{ hidden2: 2.5 }, 'hidden2', /MlpRouter: hidden2 must be an integer ≥ 1; got 2.5/],
      [{ dropout: 1 }, 'dropout', /MlpRouter: dropout must be a number in \[0, 1\); got 1/],
      [{ lr: -1 }, 'lr', /MlpRouter: lr must be a finite number in \(0, ∞\); got -1/],
      [{ seed: 0.5 }, 'seed', /MlpRouter: seed must be an integer/],
      [{ hiden1: 8 }, 'hiden1', /MlpRouter: unknown config field\(s\) 'hiden1'/],
    ];
    for (const [bad, field, message] of cases) {
      const refused = expect.objectContaining({ name: 'MoeConfigError', owner: 'MlpRouter', field, message: expect.stringMatching(message) });
      expect(() => new MlpRouter({ inputs: 3, outputs: 2, ...bad } as MlpRouterOptions)).toThrow(refused);
    }
  });
});

const PINNED: [boolean, number[]][] = [
  [false, [0.25232561100321266, -0.020395792299149666, -0.07293278151006134]],
  [true, [0.2523256242275238, -0.020395787432789803, -0.07293277978897095]],
];
