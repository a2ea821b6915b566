// Config validation at the core's boundaries: every module and router kind that `moduleFromConfig` /
// `routerFromConfig` can build rejects a key it does not know, naming it, with a coded MoeConfigError; the
// configs modules report about themselves are always accepted; tensor and weight errors are coded too.
import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectNoLeaks } from '@moe/testing';
import { expect, it } from 'vitest';
import {
  BottleneckAdapters, DenseFfn, FfnExperts, FilmExperts, FrequencyAdapterExperts, FrequencyAdapterMixture, Home, Linear, LoraExperts,
  MixtureOfAdapters, Mmoe, Module, MoeConfigError, MoeInputError, MoeLayer, Ple, RankOneExperts, SharedBottom, TopKRouter, isMoeError,
  moduleFromConfig, moduleSpec, registerModuleKind, registerRouter, routerFromConfig, type ModuleConfig, type ModuleSpec,
} from '../index.js';
import { ROUTER_CASES } from '../routers/router-cases.js';
import { checkConfigFields, configFields } from './config-fields.js';

const D = 6;
const MODULES: [string, () => Module][] = [
  ['DenseFfn', () => new DenseFfn({ inputDim: D, hiddenDim: 4, seed: 1 })],
  ['Linear', () => new Linear({ inputDim: D, outputDim: 3, seed: 1 })],
  ['FfnExperts', () => new FfnExperts({ numExperts: 3, inputDim: D, hiddenDim: 4, activation: 'swiglu', seed: 1 })],
  ['LoraExperts', () => new LoraExperts({ numExperts: 3, inputDim: D, rank: 2, seed: 1 })],
  ['RankOneExperts', () => new RankOneExperts({ numExperts: 3, inputDim: D, seed: 1 })],
  ['BottleneckAdapters', () => new BottleneckAdapters({ numExperts: 3, inputDim: D, bottleneckDim: 2, seed: 1 })],
  ['FilmExperts', () => new FilmExperts({ numExperts: 3, inputDim: D, modulation: 'linear', seed: 1 })],
  ['FrequencyAdapterExperts', () => new FrequencyAdapterExperts({ channels: D, adapterDim: 2, seed: 1 })],
  ['FrequencyAdapterMixture', () => new FrequencyAdapterMixture({ channels: D, adapterDim: 2, seed: 1 })],
  ['MoeLayer', () => new MoeLayer(new TopKRouter({ inputDim: D, numExperts: 3, k: 2, seed: 1 }), new FfnExperts({ numExperts: 3, inputDim: D, hiddenDim: 4, seed: 2 }), { shared: new DenseFfn({ inputDim: D, hiddenDim: 4, seed: 3 }), zLossWeight: 1e-3 })],
  ['MixtureOfAdapters', () => new MixtureOfAdapters(new Linear({ inputDim: D, outputDim: D, trainable: false }), new TopKRouter({ inputDim: D, numExperts: 3, k: 2, dropless: true }), new LoraExperts({ numExperts: 3, inputDim: D, rank: 2 }))],
  ['SharedBottom', () => new SharedBottom({ inputDim: D, numTasks: 2, hiddenDim: 4, outputDim: 3, seed: 1 })],
  ['Mmoe', () => new Mmoe({ inputDim: D, numTasks: 2, numExperts: 3, expertHidden: 4, outputDim: 2, seed: 1 })],
  ['Ple', () => new Ple({ inputDim: D, numTasks: 2, levels: 2, sharedExperts: 1, taskExperts: 1, expertHidden: 4, outputDim: 3, seed: 1 })],
  ['Home', () => new Home({ inputDim: D, tasksPerCategory: [1, 1], expertHidden: 4, outputDim: 3, seed: 1 })],
  ...ROUTER_CASES.map((c): [string, () => Module] => [c.name, c.make]),
];

/** The error `f` throws (fails the test when it throws none). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error; none was thrown');
}

describeEachBackend('config validation', () => {
  for (const [name, make] of MODULES) {
    it(`${name}: its own config rebuilds; an unknown key is refused by name before anything leaks`, async () => {
      const original = make();
      const spec = moduleSpec(original);
      await expectNoLeaks(() => moduleFromConfig(spec).dispose());
      await expectNoLeaks(() => {
        const e = thrown(() => moduleFromConfig({ ...spec, config: { ...spec.config, hiddenDimm: 4 } }));
        expect(e).toBeInstanceOf(MoeConfigError);
        expect(e).toMatchObject({ code: 'unknown_field', field: 'hiddenDimm', owner: spec.kind, message: expect.stringContaining("unknown config field(s) 'hiddenDimm'") });
      });
      original.dispose();
    });
  }

  it('routers, expert banks and adapter mixtures refuse an unknown key when constructed directly, too', () => {
    const direct: [string, () => unknown][] = [
      ['DenseFfn', () => new DenseFfn({ inputDim: D, hiddenDim: 4, hiddenDimm: 4 } as never)],
      ['Linear', () => new Linear({ inputDim: D, outputDim: 3, bais: true } as never)],
      ['FfnExperts', () => new FfnExperts({ numExperts: 2, inputDim: D, hiddenDim: 4, activaton: 'gelu' } as never)],
      ['LoraExperts', () => new LoraExperts({ numExperts: 2, inputDim: D, rank: 2, alpah: 4 } as never)],
      ['RankOneExperts', () => new RankOneExperts({ numExperts: 2, inputDim: D, rank: 2 } as never)],
      ['BottleneckAdapters', () => new BottleneckAdapters({ numExperts: 2, inputDim: D, bottleneckDim: 2, bottleneck: 2 } as never)],
      ['FilmExperts', () => new FilmExperts({ numExperts: 2, inputDim: D, modulaton: 'linear' } as never)],
      ['FrequencyAdapterExperts', () => new FrequencyAdapterExperts({ channels: D, adapterDim: 2, cutOff: 0.2 } as never)],
      ['FrequencyAdapterMixture', () => new FrequencyAdapterMixture({ channels: D, adapterDim: 2, alhpa: 0.1 } as never)],
      ['TopKRouter', () => new TopKRouter({ inputDim: D, numExperts: 3, kk: 2 } as never)],
    ];
    for (const [kind, make] of direct) {
      const e = thrown(make);
      expect(e, kind).toBeInstanceOf(MoeConfigError);
      expect(e, kind).toMatchObject({ code: 'unknown_field', owner: kind });
    }
  });

  it('routerFromConfig refuses an unknown key with the same coded error', () => {
    const router = new TopKRouter({ inputDim: D, numExperts: 3, k: 2, seed: 1 });
    expect(thrown(() => routerFromConfig({ ...router.getConfig(), capacityFactr: 2 }))).toMatchObject({ name: 'MoeConfigError', code: 'unknown_field', field: 'capacityFactr' });
    expect(thrown(() => routerFromConfig({ kind: 'Nope' }))).toMatchObject({ code: 'unknown_kind', field: 'kind' });
    router.dispose();
  });

  it('nested configs: a typo inside a child spec or a nested object names the child and the key', () => {
    const layer = MODULES.find(([n]) => n === 'MoeLayer')?.[1]() as MoeLayer;
    const spec = moduleSpec(layer);
    const router = spec.config.router as unknown as ModuleSpec;
    const badRouter = { ...spec.config, router: { ...router, config: { ...router.config, kk: 2 } } } as ModuleConfig;
    expect(thrown(() => moduleFromConfig({ kind: 'MoeLayer', config: badRouter }))).toMatchObject({ code: 'unknown_field', owner: 'TopKRouter', field: 'kk' });
    expect(thrown(() => moduleFromConfig({ ...spec, extra: 1 } as ModuleSpec))).toMatchObject({ code: 'unknown_field', owner: 'moduleFromConfig', field: 'extra' });
    layer.dispose();

    const mix = MODULES.find(([n]) => n === 'MixtureOfAdapters')?.[1]() as MixtureOfAdapters;
    const m = moduleSpec(mix);
    const moe = { ...(m.config.moe as ModuleConfig), balanceWieght: 0.1 };
    expect(thrown(() => moduleFromConfig({ kind: m.kind, config: { ...m.config, moe } }))).toMatchObject({ code: 'unknown_field', field: 'moe.balanceWieght' });
    mix.dispose();
  });

  it('bad values, unknown kinds and malformed specs have their own codes', () => {
    expect(thrown(() => moduleFromConfig({ kind: 'FfnExperts', config: { numExperts: 0, inputDim: D, hiddenDim: 4 } }))).toMatchObject({ code: 'invalid_field', field: 'numExperts', message: expect.stringMatching(/FfnExperts: numExperts must be an integer/) });
    expect(thrown(() => moduleFromConfig({ kind: 'NoSuchLayer', config: {} }))).toMatchObject({ code: 'unknown_kind' });
    expect(thrown(() => moduleFromConfig({ kind: 'DenseFfn', config: [] as unknown as ModuleConfig }))).toMatchObject({ code: 'invalid_spec', field: 'config' });
    expect(thrown(() => moduleFromConfig({ kind: 'MoeLayer', config: { router: 3 } }))).toMatchObject({ code: 'invalid_spec', field: 'router' });
    const e = thrown(() => registerRouter('TopKRouter', (c) => new TopKRouter(c as never)));
    expect(isMoeError(e, 'duplicate_kind')).toBe(true);
    expect(isMoeError(e, 'unknown_field')).toBe(false);
  });

  it('a kind registered without a field list is checked against its own getConfig(), and disposed when refused', async () => {
    class Scale extends Module {
      readonly kind = 'ConfigSpecScale';
      constructor(readonly config: { dim: number }) {
        super();
        this.addParam('w', tf.ones([config.dim]));
      }
      getConfig(): ModuleConfig {
        return { dim: this.config.dim };
      }
    }
    registerModuleKind('ConfigSpecScale', (c) => new Scale(c as { dim: number }));
    await expectNoLeaks(() => moduleFromConfig({ kind: 'ConfigSpecScale', config: { dim: 3 } }).dispose());
    await expectNoLeaks(() => {
      expect(thrown(() => moduleFromConfig({ kind: 'ConfigSpecScale', config: { dim: 3, dims: 4 } }))).toMatchObject({ code: 'unknown_field', owner: 'ConfigSpecScale', field: 'dims' });
    });
  });

  it('input tensors and weights are refused with MoeInputError codes', () => {
    const experts = new FfnExperts({ numExperts: 2, inputDim: D, hiddenDim: 3, seed: 1 });
    const layer = new MoeLayer(new TopKRouter({ inputDim: D, numExperts: 2, k: 1, normalize: false, seed: 2 }), experts);
    const x = tf.zeros([4, D + 1]) as tf.Tensor2D;
    const e = thrown(() => layer.apply(x, { training: false }));
    expect(e).toBeInstanceOf(MoeInputError);
    expect(e).toMatchObject({ code: 'invalid_tensor' });
    const weights = layer.getWeights();
    const name = Object.keys(weights)[0];
    const partial = { ...weights };
    delete partial[name];
    expect(thrown(() => layer.setWeights(partial))).toMatchObject({ name: 'MoeInputError', code: 'invalid_weights', field: name });
    tf.dispose([x, ...Object.values(weights)]);
    layer.dispose();
  });
}, ['cpu']);

it('checkConfigFields lists every unknown key and the accepted ones', () => {
  expect(() => checkConfigFields('Thing', { a: 1, b: 2, c: 3 }, ['a'], 'outer.')).toThrow("Thing: unknown config field(s) 'outer.b', 'outer.c'; expected some of a");
});

it('configFields only compiles for a complete, exact list of the config keys', () => {
  interface Demo { a: number; b?: string }
  expect(configFields<Demo>()(['a', 'b'])).toEqual(['a', 'b']);
  // @ts-expect-error 'b' is left out
  configFields<Demo>()(['a']);
  // @ts-expect-error 'c' is not a key of Demo
  configFields<Demo>()(['a', 'b', 'c']);
});
