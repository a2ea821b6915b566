import * as tf from '@tensorflow/tfjs-core';
import '@moe/kernels';
import { checkGradients, checkVariableGradients, describeEachBackend, expectClose, expectNoLeaks, randomizeVariables } from '@moe/testing';
import { expect, it } from 'vitest';
import type { LinearSite } from './block-hooks.js';
import { SegmentationHead } from './segmentation-head.js';
import { VitBackbone } from './vit-backbone.js';

const tiny = { imageSize: 16, patchSize: 4, channels: 3, embedDim: 8, depth: 2, heads: 2, mlpRatio: 2, seed: 3 };

describeEachBackend('VitBackbone and SegmentationHead', () => {
  it('names the argument that is wrong', () => {
    expect(() => new VitBackbone({ ...tiny, imageSize: 18 })).toThrow(/imageSize must be a multiple of patchSize; got 18 and 4/);
    expect(() => new VitBackbone({ ...tiny, embedDim: 9 })).toThrow(/dim must be a multiple of heads/);
    expect(() => new VitBackbone({ ...tiny, pixelMean: [0.5] })).toThrow(/pixelMean must have one value per channel \(3\)/);
    expect(() => new VitBackbone({ ...tiny, depth: 0 })).toThrow(/depth must be a positive integer; got 0/);
    const bb = new VitBackbone(tiny);
    const wrong = tf.zeros([1, 16, 16, 4]) as tf.Tensor4D;
    expect(() => bb.apply(wrong)).toThrow(/images must have shape \[·, 16, 16, 3\]; got \[1, 16, 16, 4\]/);
    wrong.dispose();
    bb.dispose();
  });

  it('maps tiles to the token grid and logits to pixels, without leaks, same as cpu', async () => {
    const bb = new VitBackbone(tiny);
    const head = new SegmentationHead({ inputDim: 8, hiddenDim: 6, numClasses: 5, upsample: 4, seed: 1 });
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const logits = await expectNoLeaks(() => tf.tidy(() => head.apply(bb.apply(x))));
    expect(logits.shape).toEqual([2, 16, 16, 5]);
    // The cpu reference is a second, identically seeded model on cpu fed the same pixels: tensors of a
    // webgpu model cannot be read synchronously in Node, which running the same model on cpu would need.
    const pixels = await x.data();
    const backend = tf.getBackend();
    await tf.setBackend('cpu');
    const bbCpu = new VitBackbone(tiny);
    const headCpu = new SegmentationHead({ inputDim: 8, hiddenDim: 6, numClasses: 5, upsample: 4, seed: 1 });
    const xCpu = tf.tensor4d(pixels, [2, 16, 16, 3]);
    const reference = tf.tidy(() => headCpu.apply(bbCpu.apply(xCpu)));
    const refValues = await reference.data();
    tf.dispose([reference, xCpu]);
    bbCpu.dispose();
    headCpu.dispose();
    await tf.setBackend(backend);
    await expectClose(logits, refValues, { atol: 1e-4, rtol: 1e-3 }, 'logits vs cpu');
    tf.dispose([x, logits]);
    bb.dispose();
    head.dispose();
  });

  it('calls the hooks after every block and at every linear site; neutral hooks change nothing', async () => {
    const bb = new VitBackbone(tiny);
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const plain = bb.apply(x);
    const layers: number[] = [];
    const sites: string[] = [];
    const hooked = await expectNoLeaks(() =>
      tf.tidy(() =>
        bb.apply(x, {
          afterBlock: (l, grid) => {
            layers.push(l);
            expect(grid.shape).toEqual([2, 4, 4, 8]);
            return tf.mul(grid, 1);
          },
          linearDelta: (l, site: LinearSite, input) => {
            sites.push(`${l}:${site}`);
            return site === 'fc2' ? undefined : tf.zeros([input.shape[0], site === 'qkv' ? 24 : site === 'fc1' ? 16 : 8]);
          },
        }),
      ),
    );
    expect(layers).toEqual([0, 1]);
    expect(sites).toEqual(['0:qkv', '0:proj', '0:fc1', '0:fc2', '1:qkv', '1:proj', '1:fc1', '1:fc2']);
    await expectClose(hooked, plain, { atol: 1e-6 });
    // A hook that changes the grid changes the output; one returning a wrong shape is refused by name.
    const shifted = tf.tidy(() => bb.apply(x, { afterBlock: (l, g) => (l === 0 ? tf.add(g, tf.randomNormal(g.shape, 0, 1, "float32", 9)) : g) }));
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(shifted, plain))));
    expect((await gap.data())[0]).toBeGreaterThan(1e-3);
    expect(() => bb.apply(x, { afterBlock: (_l, g) => tf.slice(g, [0, 0, 0, 0], [1, 4, 4, 8]) })).toThrow(/afterBlock\(0\) result must have shape \[2, 4, 4, 8\]/);
    tf.dispose([x, plain, hooked, shifted, gap]);
    bb.dispose();
  });

  it('gradients match finite differences for the input and every kind of backbone weight', async () => {
    const bb = new VitBackbone({ ...tiny, layerScaleInit: 0.5 });
    const head = new SegmentationHead({ inputDim: 8, hiddenDim: 6, numClasses: 3, upsample: 4, seed: 2 });
    const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    await checkGradients((img) => head.apply(bb.apply(img as tf.Tensor4D)), [x], { maxCoordinates: 12, atol: 5e-3, rtol: 5e-2 });
    const vars = bb.namedVariables();
    const picked = ['positional', 'patchEmbedding.projection.w', 'block0.norm1.gamma', 'block0.attention.qkv.w', 'block0.attention.proj.b', 'block0.gamma1', 'block1.fc1.w', 'block1.fc2.w', 'block1.gamma2', 'norm.beta'].map((n) => {
      const v = vars.get(n);
      if (!v) throw new Error(`no variable ${n}`);
      return v;
    });
    const weights = tf.randomUniform([1, 16, 16, 3], 0.5, 1.5, 'float32', 8);
    // Floor 1e-2: the loss sums 768 float32 outputs, so central differences carry ~3e-4 of rounding noise (seen as
    // a 5.3 % miss on a 0.005 component with the native GEMM); a zeroed or halved component still fails by ≥ 25 %.
    await checkVariableGradients(() => tf.sum(tf.mul(head.apply(bb.apply(x)), weights)) as tf.Scalar, [...picked, ...head.trainableVariables()], { maxCoordinates: 4, atol: 1e-2, rtol: 5e-2 });
    // The hooks are inside the tape: an adapter variable after block 0 gets its true gradient.
    const shift = tf.variable(tf.zeros([8]));
    randomizeVariables([shift], 4, 0.3);
    await checkVariableGradients(() => tf.sum(tf.mul(head.apply(bb.apply(x, { afterBlock: (l, g) => (l === 0 ? tf.add(g, shift) : g) })), weights)) as tf.Scalar, [shift], { maxCoordinates: 8, atol: 5e-3, rtol: 5e-2 });
    tf.dispose([x, weights, shift]);
    bb.dispose();
    head.dispose();
  });
});
