import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { checkGradients, describeEachBackend, expectClose, expectNoLeaks } from '@moe/testing';
import { frequencySplit, lowPassHalfWidth } from '../index.js';
import { pseudoRandom } from '../test-util/on-cpu.js';

/**
 * Low band by a direct 2-D DFT in plain JS (the definition, not the matrix factorisation):
 * X̂ = DFT2(x) (ortho), keep frequencies fy, fx ∈ [−k, k), low = Re(IDFT2(masked X̂)).
 */
function directLowPass(x: Float32Array, [B, H, W, C]: number[], k: number): Float64Array {
  const out = new Float64Array(x.length);
  const at = (b: number, y: number, w: number, c: number) => ((b * H + y) * W + w) * C + c;
  for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) {
    const spectrum: [number, number, number, number][] = [];
    for (let fy = -k; fy < k; fy++) for (let fx = -k; fx < k; fx++) {
      let re = 0;
      let im = 0;
      for (let y = 0; y < H; y++) for (let w = 0; w < W; w++) {
        const ph = -2 * Math.PI * ((fy * y) / H + (fx * w) / W);
        re += x[at(b, y, w, c)] * Math.cos(ph);
        im += x[at(b, y, w, c)] * Math.sin(ph);
      }
      spectrum.push([fy, fx, re, im]);
    }
    for (let y = 0; y < H; y++) for (let w = 0; w < W; w++) {
      let v = 0;
      for (const [fy, fx, re, im] of spectrum) {
        const ph = 2 * Math.PI * ((fy * y) / H + (fx * w) / W);
        v += re * Math.cos(ph) - im * Math.sin(ph);
      }
      out[at(b, y, w, c)] = v / (H * W);
    }
  }
  return out;
}

describeEachBackend('frequencySplit', () => {
  for (const [shape, cutoff] of [[[2, 8, 8, 2], 0.5], [[1, 9, 6, 2], 0.7], [[1, 8, 10, 1], 0.3]] as [[number, number, number, number], number][]) {
    it(`low + high == x and low matches a direct DFT (shape [${shape}], cutoff ${cutoff})`, async () => {
      const values = pseudoRandom(shape[0] * shape[1] * shape[2] * shape[3], 31);
      const x = tf.tensor4d(values, [...shape]);
      const k = lowPassHalfWidth(shape[1], shape[2], cutoff);
      expect(k).toBeGreaterThan(0);
      await expectNoLeaks(async () => {
        const { low, high } = frequencySplit(x, cutoff);
        const sum = tf.add(low, high);
        await expectClose(sum, x, { atol: 1e-6 }, 'low + high');
        await expectClose(low, directLowPass(values, [...shape], k), { atol: 2e-5 }, 'low vs direct DFT');
        tf.dispose([low, high, sum]);
      });
      await expectNoLeaks(() => checkGradients((a) => {
        const { low, high } = frequencySplit(a as tf.Tensor4D, cutoff);
        return tf.add(tf.mul(low, 2), tf.mul(high, -0.5));
      }, [x], { maxCoordinates: 12 }));
      x.dispose();
    });
  }

  it('a cut-off below one frequency keeps nothing (k = 0), and bad arguments are named', async () => {
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const { low, high } = frequencySplit(x, 0.2);
    expect(Array.from(await low.data()).every((v) => v === 0)).toBe(true);
    await expectClose(high, x);
    expect(() => frequencySplit(x, 1.5)).toThrow(/cutoff must be a ratio in \[0, 1\]; got 1.5/);
    expect(() => frequencySplit(tf.ones([4, 4]) as unknown as tf.Tensor4D, 0.5)).toThrow(/frequencySplit: x must have rank 4/);
    tf.dispose([x, low, high]);
  });

  it('cutoff 1 on an even grid keeps every frequency (low == x)', async () => {
    const x = tf.tensor4d(pseudoRandom(2 * 6 * 6, 4), [1, 6, 6, 2]);
    const { low, high } = frequencySplit(x, 1);
    await expectClose(low, x, { atol: 1e-5 });
    tf.dispose([x, low, high]);
  });
});
