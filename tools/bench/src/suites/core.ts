// `npm run bench -- core [--quick] [--backend=wasm|cpu|webgpu]`: @moe/core layer throughput (tokens/s) for
// each expert type behind the same top-2 router, forward and forward+backward, next to the dense FFN with
// the same active parameters; each router's share of layer time (the routers' own bench,
// ./core-routers.ts, when present); and the mixture-of-regimes learning comparison (MoE vs dense, 3 seeds).
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BottleneckAdapters, DenseFfn, FfnExperts, FilmExperts, FrequencyAdapterMixture, Linear, LoraExperts, MixtureOfAdapters, MoeLayer, RankOneExperts, TopKRouter,
  disposeRoutingStats, type Module, type MoeForward,
} from '@moe/core';
import { compareMoeWithDense, meanStd, type RegimeComparison } from '@moe/core/bench';
import { prepareBackend, type BackendName } from '@moe/runtime';
import { nativeStatus } from '@moe/native';
import { markdownTable, type BenchContext, type BenchReport, type BenchSuite } from '../report.js';

interface Shape {
  tokens: number;
  model: number;
  expertHidden: number;
  experts: number;
  k: number;
}

interface LayerRow {
  expertType: string;
  /** Parameters one token touches (router + k experts + always-on parts). */
  activeParams: number;
  forwardMs: number;
  trainStepMs: number;
  forwardTokensPerS: number;
  trainTokensPerS: number;
}

type Forward = (x: tf.Tensor2D) => tf.Tensor;

/** Median wall time of `run` over `iterations` calls after two warm-up calls (the median resists the spikes
 * of a machine shared with other jobs better than the mean). */
async function timeIt(run: () => Promise<void>, iterations: number): Promise<number> {
  for (let i = 0; i < 2; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function releaseMoe(f: MoeForward): tf.Tensor {
  tf.dispose([f.aux.total, ...Object.values(f.aux.parts)]);
  disposeRoutingStats(f.stats);
  return f.output;
}

/** The layers under test: every expert type behind the same top-k router, plus the dense baseline. */
function layerCases(s: Shape): { name: string; build: () => { module: Module; forward: Forward; active: number } }[] {
  const router = (seed: number) => new TopKRouter({ inputDim: s.model, numExperts: s.experts, k: s.k, dropless: true, seed });
  const moe = (name: string, experts: () => FfnExperts | FilmExperts, shared?: () => DenseFfn) => ({
    name,
    build: () => {
      const m = new MoeLayer(router(1), experts(), { shared: shared?.() });
      return { module: m as Module, forward: (x: tf.Tensor2D) => releaseMoe(m.apply(x, { training: true })), active: m.activeParams(s.k) };
    },
  });
  const adapters = (name: string, bank: () => LoraExperts | BottleneckAdapters | RankOneExperts, base: () => Linear | DenseFfn) => ({
    name,
    build: () => {
      const m = new MixtureOfAdapters(base(), router(2), bank());
      return { module: m as Module, forward: (x: tf.Tensor2D) => releaseMoe(m.apply(x, { training: true })), active: m.moe.activeParams(s.k) + m.base.countParams() };
    },
  });
  const E = s.experts;
  const d = s.model;
  const h = s.expertHidden;
  return [
    {
      name: `dense FFN, hidden ${s.k}·${h} (baseline)`,
      build: () => {
        const m = new DenseFfn({ inputDim: d, hiddenDim: s.k * h, activation: 'relu', seed: 1 });
        return { module: m, forward: (x: tf.Tensor2D) => m.apply(x), active: m.paramsPerToken() };
      },
    },
    moe('FFN experts, ReLU', () => new FfnExperts({ numExperts: E, inputDim: d, hiddenDim: h, activation: 'relu', seed: 3 })),
    moe('FFN experts, GELU', () => new FfnExperts({ numExperts: E, inputDim: d, hiddenDim: h, activation: 'gelu', seed: 3 })),
    moe('FFN experts, Swish', () => new FfnExperts({ numExperts: E, inputDim: d, hiddenDim: h, activation: 'swish', seed: 3 })),
    moe('FFN experts, SwiGLU', () => new FfnExperts({ numExperts: E, inputDim: d, hiddenDim: h, activation: 'swiglu', seed: 3 })),
    moe(`fine-grained (hidden ${h / 2}) + shared expert`, () => new FfnExperts({ numExperts: E, inputDim: d, hiddenDim: h / 2, activation: 'relu', seed: 3 }), () => new DenseFfn({ inputDim: d, hiddenDim: h / 2, activation: 'relu', seed: 4 })),
    moe('FiLM experts (vector) on a shared block', () => new FilmExperts({ numExperts: E, inputDim: d, modulation: 'vector', seed: 3 })),
    moe('FiLM experts (linear) on a shared block', () => new FilmExperts({ numExperts: E, inputDim: d, modulation: 'linear', seed: 3 })),
    adapters('LoRA experts (r 8) on a frozen Linear', () => new LoraExperts({ numExperts: E, inputDim: d, rank: 8, alpha: 16, seed: 3 }), () => new Linear({ inputDim: d, outputDim: d, trainable: false })),
    adapters('rank-one experts on a frozen Linear', () => new RankOneExperts({ numExperts: E, inputDim: d, seed: 3 }), () => new Linear({ inputDim: d, outputDim: d, trainable: false })),
    adapters('bottleneck adapters (m 32) beside a frozen FFN', () => new BottleneckAdapters({ numExperts: E, inputDim: d, bottleneckDim: 32, seed: 3 }), () => new DenseFfn({ inputDim: d, hiddenDim: h, trainable: false })),
    {
      name: 'frequency-band adapters (3, dense routing) on a 32×32 map',
      build: () => {
        const m = new FrequencyAdapterMixture({ channels: d, adapterDim: 64, seed: 5 });
        const side = Math.round(Math.sqrt(s.tokens));
        return { module: m, forward: (x: tf.Tensor2D) => releaseMoe(m.apply(tf.reshape(tf.slice(x, [0, 0], [side * side, d]), [1, side, side, d]) as tf.Tensor4D)), active: m.countParams() };
      },
    },
  ];
}

async function benchLayers(s: Shape, iterations: number, log: (m: string) => void): Promise<LayerRow[]> {
  const rows: LayerRow[] = [];
  const x = tf.randomNormal([s.tokens, s.model], 0, 1, 'float32', 7) as tf.Tensor2D;
  for (const c of layerCases(s)) {
    const { module, forward, active } = c.build();
    const vars = module.trainableVariables();
    const forwardMs = await timeIt(async () => {
      const y = tf.tidy(() => tf.sum(forward(x)));
      await y.data();
      y.dispose();
    }, iterations);
    const trainStepMs = await timeIt(async () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(forward(x))) as tf.Scalar, vars);
      const probe = tf.tidy(() => tf.addN([value, ...Object.values(grads).map((g) => tf.sum(g))]));
      await probe.data();
      tf.dispose([value, probe, ...Object.values(grads)]);
    }, iterations);
    const tokens = c.name.startsWith('frequency') ? Math.round(Math.sqrt(s.tokens)) ** 2 : s.tokens;
    rows.push({ expertType: c.name, activeParams: active, forwardMs, trainStepMs, forwardTokensPerS: (tokens / forwardMs) * 1000, trainTokensPerS: (tokens / trainStepMs) * 1000 });
    log(`${c.name}: forward ${forwardMs.toFixed(1)} ms, forward+backward ${trainStepMs.toFixed(1)} ms`);
    module.dispose();
  }
  x.dispose();
  return rows;
}

interface RouterTiming {
  router: string;
  evalMs: number;
}

interface RouterShares {
  routers: BenchReport;
  layer: { tokens: number; model: number; expertHidden: number; experts: number; k: number; evalMs: number; topKRouterEvalMs: number };
  shares: { router: string; routerMs: number; layerMs: number; share: number }[];
}

/**
 * Each router's share of layer time: the routers' own bench (./core-routers.ts, `benchRouters`, T = 4096,
 * d = 512, E = 8 when not quick) timed every router's evaluation forward; here one MoE layer (top-2 of 8
 * ReLU FFN experts, hidden 1024, dropless) is timed at the same shape, and each router's share is estimated
 * as router / (layer − top-2 router + router), i.e. the layer with that router in place of top-2.
 */
async function routerShares(ctx: BenchContext, log: (m: string) => void): Promise<RouterShares | undefined> {
  const here = dirname(fileURLToPath(import.meta.url));
  if (!existsSync(join(here, 'core-routers.ts'))) return undefined;
  const mod = (await import(join(here, 'core-routers.ts'))) as { benchRouters?: (c: BenchContext) => Promise<BenchReport> };
  if (typeof mod.benchRouters !== 'function') return undefined;
  const routers = await mod.benchRouters(ctx);
  const res = routers.results as { tokens: number; inputDim: number; experts: number; rows: RouterTiming[] };
  const topK = res.rows.find((r) => r.router.startsWith('TopKRouter k=2'));
  if (!topK) return undefined;
  const expertHidden = ctx.quick ? 256 : 1024;
  const layer = new MoeLayer(new TopKRouter({ inputDim: res.inputDim, numExperts: res.experts, k: 2, dropless: true, seed: 1 }), new FfnExperts({ numExperts: res.experts, inputDim: res.inputDim, hiddenDim: expertHidden, activation: 'relu', seed: 2 }));
  const x = tf.randomNormal([res.tokens, res.inputDim], 0, 1, 'float32', 3) as tf.Tensor2D;
  const evalMs = await timeIt(async () => {
    const y = tf.tidy(() => tf.sum(releaseMoe(layer.apply(x, { training: false }))));
    await y.data();
    y.dispose();
  }, ctx.quick ? 2 : 5);
  x.dispose();
  layer.dispose();
  log(`MoE layer at the routers' shape (T=${res.tokens}, d=${res.inputDim}, hidden ${expertHidden}): eval forward ${evalMs.toFixed(1)} ms`);
  const rest = Math.max(evalMs - topK.evalMs, 0);
  const shares = res.rows.map((r) => ({ router: r.router, routerMs: r.evalMs, layerMs: rest + r.evalMs, share: r.evalMs / (rest + r.evalMs) }));
  return { routers, layer: { tokens: res.tokens, model: res.inputDim, expertHidden, experts: res.experts, k: 2, evalMs, topKRouterEvalMs: topK.evalMs }, shares };
}

function sharesMarkdown(r: RouterShares): string {
  const l = r.layer;
  return [
    `MoE layer (top-2 of ${l.experts} ReLU FFN experts, hidden ${l.expertHidden}, dropless) at T = ${l.tokens}, d = ${l.model}: evaluation forward ${l.evalMs.toFixed(1)} ms, of which the top-2 router ${l.topKRouterEvalMs.toFixed(1)} ms. Share of each router = router ms ÷ (layer ms − top-2 router ms + router ms): the layer with that router in its place, assuming dispatch, experts and combine cost the same (they do not for routers that send a different number of tokens per expert: expert choice, top-p, null experts).`,
    '',
    markdownTable(r.shares.map((s) => ({ router: s.router, 'router eval ms': s.routerMs.toFixed(1), 'layer eval ms (estimated)': s.layerMs.toFixed(1), 'router share of layer time': `${(100 * s.share).toFixed(1)} %` }))),
    '',
    'Router timings from `benchRouters` (tools/bench/src/suites/core-routers.ts):',
    '',
    r.routers.markdown.trim(),
  ].join('\n');
}

function learningMarkdown(r: RegimeComparison): string {
  const o = r.options;
  const moe = meanStd(r.rows.map((x) => x.moe));
  const dense = meanStd(r.rows.map((x) => x.dense));
  return [
    `${o.regimes} regimes in d = ${o.inputDim}; MoE top-${o.k} of ${o.experts} FFN experts (hidden ${o.expertHidden}, Switch balance ${o.balanceWeight}) with ${r.activeMoe} active parameters vs a dense FFN (hidden ${r.denseHidden}) with ${r.activeDense}; ${o.steps} Adam steps (lr ${o.lr}) of ${o.batch} fresh samples each; held-out MSE on 1024 samples.`,
    '',
    markdownTable([
      ...r.rows.map((x) => ({ seed: String(x.seed), 'MoE MSE': x.moe, 'dense MSE': x.dense, 'MoE ÷ dense': x.moe / x.dense, 'max expert share': x.maxShare })),
      { seed: 'mean ± std', 'MoE MSE': `${moe.mean.toFixed(4)} ± ${moe.std.toFixed(4)}`, 'dense MSE': `${dense.mean.toFixed(4)} ± ${dense.std.toFixed(4)}`, 'MoE ÷ dense': moe.mean / dense.mean, 'max expert share': Math.max(...r.rows.map((x) => x.maxShare)) },
    ]),
    '',
    `Balance criterion: max expert share ≤ 2/E = ${(2 / o.experts).toFixed(3)}.`,
  ].join('\n');
}

const suite: BenchSuite = async (ctx) => {
  const backendArg = ctx.args.find((a) => a.startsWith('--backend='))?.slice('--backend='.length) ?? 'wasm';
  const attempt = await prepareBackend(backendArg as BackendName, { allowSoftwareWebGpu: true });
  if (!attempt.ok) throw new Error(`bench core: backend ${backendArg} cannot start: ${attempt.reason}`);
  await tf.setBackend(backendArg);
  await tf.ready();
  // wasm's matmuls run on @moe/native's GEMM unless MOE_NATIVE=0 (or it cannot load): say which in every label.
  const backendLabel = backendArg === 'wasm' && nativeStatus().enabled ? 'wasm+native' : backendArg;
  const shape: Shape = ctx.quick ? { tokens: 256, model: 64, expertHidden: 128, experts: 8, k: 2 } : { tokens: 1024, model: 256, expertHidden: 512, experts: 8, k: 2 };
  const iterations = ctx.quick ? 3 : 7;
  ctx.log(`layer throughput on ${backendLabel}: T=${shape.tokens}, d=${shape.model}, expert hidden ${shape.expertHidden}, top-${shape.k} of ${shape.experts}`);
  const layers = await benchLayers(shape, iterations, ctx.log);
  const routers = await routerShares(ctx, ctx.log);
  const seeds = ctx.quick ? [1, 2, 3] : [1, 2, 3, 4, 5];
  ctx.log(`learning comparison (mixture of regimes, ${seeds.length} seeds)`);
  const learning = await compareMoeWithDense({ steps: ctx.quick ? 150 : 400, seeds });
  const base = layers[0];
  const table = markdownTable(layers.map((r) => ({
    'expert type': r.expertType,
    'active params': r.activeParams,
    'fwd ms': r.forwardMs,
    'fwd tokens/s': Math.round(r.forwardTokensPerS),
    'fwd+bwd ms': r.trainStepMs,
    'fwd+bwd tokens/s': Math.round(r.trainTokensPerS),
    'fwd+bwd ÷ dense': r.trainStepMs / base.trainStepMs,
  })));
  const markdown = [
    `### Layer throughput per expert type (${backendLabel})`,
    '',
    `T = ${shape.tokens} tokens, d = ${shape.model}, expert hidden ${shape.expertHidden}, top-${shape.k} of ${shape.experts} experts (dropless), median of ${iterations} runs after two warm-up runs; fwd+bwd = loss and all parameter gradients. The machine was shared with other jobs: compare ratios within this table, not absolute times across runs.`,
    '',
    table,
    '',
    '### Router share of layer time',
    '',
    routers ? sharesMarkdown(routers) : '_`tools/bench/src/suites/core-routers.ts` (routers bench) not present when this ran._',
    '',
    '### Learning: mixture-of-regimes regression, MoE vs dense with equal active parameters',
    '',
    learningMarkdown(learning),
  ].join('\n');
  return { results: { backend: backendLabel, shape, iterations, layers, routers: routers ? { layer: routers.layer, shares: routers.shares, timings: routers.routers.results } : null, learning }, markdown };
};

export default suite;
