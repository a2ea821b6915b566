// `npm run bench -- core-routers [--quick] [--backend=wasm|cpu|webgpu]`: time per call of every @moe/core
// router at T = 4096 tokens, d = 512, E = 8 (T = 1024 with --quick): evaluation forward, training forward
// (noise, Monte-Carlo samples, state updates included) and training forward + backward to the router's
// weights. Also exported as `benchRouters(ctx)` for the `core` suite, which sets the backend itself.
import * as tf from '@tensorflow/tfjs-core';
import {
  BiasBalancedRouter, ClusterRouter, DenseToSparseRouter, ExpertChoiceRouter, MultiGateRouter, NullExpertRouter, RecurrentRouter, SoftmaxRouter,
  SwitchRouter, TopKRouter, TopPRouter, UncertaintyRouter, disposeRouting, type RouteOptions, type Router,
} from '@moe/core';
import { prepareBackend, type BackendName } from '@moe/runtime';
import { markdownTable, type BenchContext, type BenchReport, type BenchSuite } from '../report.js';

interface RouterRow {
  router: string;
  evalMs: number;
  trainForwardMs: number;
  /** undefined for routers without trainable weights. */
  trainStepMs: number | undefined;
}

const D = 512;
const E = 8;

function routerCases(): { name: string; make: () => Router; state?: (T: number) => tf.Tensor2D }[] {
  const base = { inputDim: D, numExperts: E, seed: 1 };
  return [
    { name: 'SoftmaxRouter (dense)', make: () => new SoftmaxRouter(base) },
    { name: 'TopKRouter k=2', make: () => new TopKRouter({ ...base, k: 2 }) },
    { name: 'TopKRouter k=2, learned noise', make: () => new TopKRouter({ ...base, k: 2, noise: 'learned' }) },
    { name: 'SwitchRouter (top-1, jitter 1e-2)', make: () => new SwitchRouter({ ...base, jitter: 0.01 }) },
    { name: 'ExpertChoiceRouter c=2', make: () => new ExpertChoiceRouter({ ...base, capacityFactor: 2 }) },
    { name: 'TopPRouter p=0.4', make: () => new TopPRouter(base) },
    { name: 'NullExpertRouter m=8, k=4', make: () => new NullExpertRouter(base) },
    { name: 'DenseToSparseRouter (dense phase)', make: () => new DenseToSparseRouter(base) },
    { name: 'RecurrentRouter (GRU 256)', make: () => new RecurrentRouter({ ...base, hiddenSize: 256 }), state: (T) => tf.zeros([T, 256]) as tf.Tensor2D },
    { name: 'UncertaintyRouter (M=5 MC samples)', make: () => new UncertaintyRouter(base) },
    { name: 'BiasBalancedRouter (sigmoid, k=2)', make: () => new BiasBalancedRouter(base) },
    { name: 'MultiGateRouter (3 tasks, one routed)', make: () => new MultiGateRouter({ ...base, numTasks: 3 }) },
    { name: 'ClusterRouter (K=8, 3 iterations)', make: () => new ClusterRouter({ inputDim: D, numClusters: E, seed: 1 }) },
  ];
}

/**
 * Median wall time of `run` over `iterations` calls after one warm-up (`run` awaits its result). The median,
 * because the machine is shared and single calls get preempted.
 */
async function timeIt(run: () => Promise<void>, iterations: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Forces the routing's computation with one read of a scalar that depends on every output. */
async function settle(r: ReturnType<Router['route']>): Promise<void> {
  const s = tf.tidy(() => tf.addN([tf.sum(r.weights), tf.sum(r.probs), r.aux.total]));
  await s.data();
  s.dispose();
  disposeRouting(r);
}

export async function benchRouters(ctx: BenchContext): Promise<BenchReport> {
  const T = ctx.quick ? 1024 : 4096;
  const iterations = ctx.quick ? 3 : 7;
  const x = tf.randomNormal([T, D], 0, 1, 'float32', 1) as tf.Tensor2D;
  const rows: RouterRow[] = [];
  for (const c of routerCases()) {
    const router = c.make();
    const state = c.state?.(T);
    const opts = (training: boolean): RouteOptions => ({ training, ...(state ? { state } : {}) });
    const evalMs = await timeIt(() => settle(router.route(x, opts(false))), iterations);
    const trainForwardMs = await timeIt(() => settle(router.route(x, opts(true))), iterations);
    const vars = router.trainableVariables();
    let trainStepMs: number | undefined;
    if (vars.length > 0) {
      trainStepMs = await timeIt(async () => {
        const { value, grads } = tf.variableGrads(() => {
          const r = router.route(x, opts(true));
          // A loss that reaches every differentiable output, as a layer's combine + aux loss would.
          const loss = tf.addN([tf.sum(tf.square(r.weights)), tf.mul(1e-2, tf.sum(tf.square(r.probs))), r.aux.total]) as tf.Scalar;
          disposeRouting(r);
          return loss;
        }, vars);
        await value.data();
        tf.dispose([value, ...Object.values(grads)]);
      }, iterations);
    }
    ctx.log(`${c.name}: eval ${evalMs.toFixed(1)} ms, train fwd ${trainForwardMs.toFixed(1)} ms, train step ${trainStepMs?.toFixed(1) ?? '—'} ms`);
    rows.push({ router: c.name, evalMs, trainForwardMs, trainStepMs });
    state?.dispose();
    router.dispose();
  }
  x.dispose();
  const markdown = [
    `Router time per call on \`${tf.getBackend()}\`, T = ${T} tokens, d = ${D}, E = ${E}; median of ${iterations} calls after one warm-up, each ending in one read of a scalar that depends on every output (so the time includes the compute and one device → host transfer). "train step" = training forward + gradients of a loss over the weights, probabilities and aux loss with respect to the router's own weights. The machine is shared: compare rows of one run, not runs.`,
    '',
    markdownTable(rows.map((r) => ({ router: r.router, 'eval ms': r.evalMs.toFixed(1), 'train fwd ms': r.trainForwardMs.toFixed(1), 'train step ms': r.trainStepMs === undefined ? '— (no weights)' : r.trainStepMs.toFixed(1) }))),
  ].join('\n');
  return { results: { backend: tf.getBackend(), tokens: T, inputDim: D, experts: E, iterations, rows }, markdown };
}

const suite: BenchSuite = async (ctx) => {
  const backend = (ctx.args.find((a) => a.startsWith('--backend='))?.slice('--backend='.length) ?? 'wasm') as BackendName;
  const attempt = await prepareBackend(backend, { allowSoftwareWebGpu: true });
  if (!attempt.ok) throw new Error(`core-routers bench: backend ${backend} cannot start: ${attempt.reason}`);
  await tf.setBackend(backend);
  await tf.ready();
  return benchRouters(ctx);
};

export default suite;
