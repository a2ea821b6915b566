import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks, useBackend } from '@moe/testing';
import { DeweatherNet, disposeDeweatherForward } from './deweather-net.js';
import { FFN_VARIANTS } from './ffn-blocks.js';

describe('DeweatherNet variants', () => {
  beforeAll(() => useBackend('wasm'));

  it('MoFME, MoE and dense have equal active FFN compute; dense has the MoFME parameter count', () => {
    const nets = Object.fromEntries((['mofme', 'moe', 'dense'] as const).map((v) => [v, new DeweatherNet({ variant: v, seed: 1 })]));
    const active = (v: string) => nets[v].activeParams();
    // Within 2 %: the MoE expert width is rounded (5D/k), the routers add D·E each.
    expect(Math.abs(active('moe') / active('mofme') - 1)).toBeLessThan(0.02);
    expect(Math.abs(active('dense') / active('mofme') - 1)).toBeLessThan(0.02);
    expect(Math.abs(nets.dense.countParams() / nets.mofme.countParams() - 1)).toBeLessThan(0.01);
    expect(nets.moe.countParams()).toBeGreaterThan(2 * nets.mofme.countParams());
    Object.values(nets).forEach((n) => n.dispose());
  });

  it('every variant maps [B, H, W, 3] to the same shape, trains every weight, and leaks nothing', async () => {
    const x = tf.randomUniform([2, 16, 24, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    for (const variant of FFN_VARIANTS) {
      const net = new DeweatherNet({ variant, dim: 16, heads: 2, channels: 4, experts: 4, seed: 2 });
      await expectNoLeaks(async () => {
        const f = net.apply(x, { training: false });
        expect(f.output.shape).toEqual([2, 16, 24, 3]);
        expect(f.stats.length).toBe(variant === 'dense' ? 0 : 2);
        disposeDeweatherForward(f);
        const { value, grads } = tf.variableGrads(() => {
          const g = net.apply(x, { training: true, seed: 5 });
          for (const s of g.stats) tf.dispose([s.expertCounts, s.assignments, s.dropped, s.unroutedTokens, s.meanEntropy]);
          return tf.add(tf.mean(tf.abs(tf.sub(g.output, x))), g.aux) as tf.Scalar;
        }, net.trainableVariables());
        const zero: string[] = [];
        for (const [name, g] of Object.entries(grads)) {
          const m = tf.tidy(() => tf.max(tf.abs(g)));
          if ((await m.data())[0] === 0) zero.push(name);
          m.dispose();
        }
        // The tail starts at 0.1 scale, gate biases are off; every weight must get a gradient.
        expect(zero, `${variant}: weights without gradient`).toEqual([]);
        tf.dispose([value, ...Object.values(grads)]);
      }, variant);
      net.dispose();
    }
    x.dispose();
  }, 60_000);

  it('rejects bad configs and inputs naming them', () => {
    expect(() => new DeweatherNet({ variant: 'sparse' as never })).toThrow(/config\.variant/);
    expect(() => new DeweatherNet({ dim: 50, heads: 4 })).toThrow(/config\.dim \(50\) must be a multiple of config\.heads/);
    expect(() => new DeweatherNet({ k: 9, experts: 8 })).toThrow(/config\.k/);
    const net = new DeweatherNet({ dim: 16, heads: 2, channels: 4 });
    const odd = tf.zeros([1, 10, 12, 3]) as tf.Tensor4D;
    expect(() => net.apply(odd, { training: false })).toThrow(/multiples of patch 4; got 10×12/);
    const grey = tf.zeros([1, 8, 8, 1]) as tf.Tensor4D;
    expect(() => net.apply(grey, { training: false })).toThrow(/\[B, H, W, 3\]/);
    tf.dispose([odd, grey]);
    net.dispose();
  });
});
