// `npm run bench -- kernels [--quick] [--backends=wasm,webgpu]`: MoE kernel throughput per backend (wasm; webgpu on whatever adapter
// Dawn finds — Mesa lavapipe, a CPU, when there is no GPU). Issue 2 item 5.
import * as tf from '@tensorflow/tfjs-core';
import { combine, computeDispatchPlan, disposeDispatchPlan, dispatch, groupedMatMul } from '@moe/kernels';
import { installWebGpu, prepareBackend, type BackendName } from '@moe/runtime';
import { markdownTable, type BenchContext, type BenchReport, type BenchSuite } from '../report.js';

interface Shape {
  tokens: number;
  model: number;
  expertHidden: number;
  k: number;
}

interface BackendResult {
  backend: BackendName;
  device: string;
  software: boolean;
  shape: Shape;
  iterations: number;
  matmulMs: number;
  matmulGflops: number;
  denseMs: number;
  moeE8Ms: number;
  moeE32Ms: number;
  moeOverDense: number;
  e32OverE8: number;
  moeGflops: number;
  utilisation: number;
  /** Diagnostic: one forward grouped matmul [T·k, d] × [E, d, h], E = 32 over E = 8 (same FLOPs). */
  groupedMatMulE32OverE8: number;
  /** Diagnostic: one forward grouped matmul E = 8 over a plain [T·k, d] × [d, h] matmul (same FLOPs). */
  groupedMatMulOverMatMul: number;
}

const TARGETS = { moeOverDense: 1.15, e32OverE8: 1.1, utilisation: 0.7 };

/**
 * Median wall time of each run (each must read a result back, so queued GPU work is included), after one
 * warm-up of each. Runs are interleaved (a, b, c, a, b, c, …) so that load from other processes on a
 * shared machine falls on all of them alike, and the median discards the iterations a burst hit.
 */
async function timeInterleaved(runs: (() => Promise<void>)[], iterations: number): Promise<number[]> {
  for (const run of runs) await run();
  const samples: number[][] = runs.map(() => []);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < runs.length; j++) {
      const start = performance.now();
      await runs[j]();
      samples[j].push(performance.now() - start);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]);
}

/**
 * Runs f to tensors and reads back one element of each (a readback flushes and waits for all queued GPU
 * work; wasm runs synchronously anyway), then frees everything. Reading one element rather than summing
 * keeps the measurement free of work that grows with the outputs (E=32 weight gradients are 4× E=8's).
 */
async function settle(f: () => tf.Tensor[]): Promise<void> {
  const probe = tf.tidy(() => tf.addN(f().map((t) => tf.slice(tf.reshape(t, [-1]), 0, 1))));
  await probe.data();
  probe.dispose();
}

function seeded(shape: number[], seed: number, scale = 0.05): tf.Tensor {
  return tf.randomUniform(shape, -scale, scale, 'float32', seed);
}

/** Dense FFN relu(x·W1)·W2 with hidden k·h: the same active FLOPs as top-k MoE with expert hidden h. */
function denseStep(x: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor, proj: tf.Tensor): tf.Tensor[] {
  return tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.relu(tf.matMul(a, b)), c), proj)))([x, w1, w2]);
}

/** Top-k MoE FFN: router softmax → top-k → dropless plan → dispatch → grouped FFN → weighted combine. */
function moeStep(x: tf.Tensor, router: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor, proj: tf.Tensor, k: number): tf.Tensor[] {
  const E = w1.shape[0] as number;
  return tf.grads((a: tf.Tensor, r: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
    const probs = tf.softmax(tf.matMul(a, r));
    const { values, indices } = tf.topk(probs, k);
    const gates = tf.div(values, tf.sum(values, -1, true)) as tf.Tensor2D;
    const plan = computeDispatchPlan(indices as tf.Tensor2D, E);
    const hidden = tf.relu(groupedMatMul(dispatch(a as tf.Tensor2D, plan), b as tf.Tensor3D, plan)) as tf.Tensor2D;
    const y = combine(groupedMatMul(hidden, c as tf.Tensor3D, plan), gates, plan);
    disposeDispatchPlan(plan);
    return tf.sum(tf.mul(y, proj));
  })([x, router, w1, w2]);
}

async function benchBackend(backend: BackendName, shape: Shape, iterations: number, log: (m: string) => void): Promise<BackendResult> {
  const attempt = await prepareBackend(backend, { allowSoftwareWebGpu: true });
  if (!attempt.ok) throw new Error(`backend ${backend} cannot start: ${attempt.reason}`);
  await tf.setBackend(backend);
  await tf.ready();
  let device = backend === 'wasm' ? 'wasm SIMD, 1 thread (CPU)' : backend;
  let software = backend !== 'webgpu';
  if (backend === 'webgpu') {
    const info = await installWebGpu();
    device = `webgpu: ${info.vendor} ${info.architecture} ${info.description}`.trim();
    software = info.software;
  }
  const { tokens: T, model: d, expertHidden: h, k } = shape;
  const x = seeded([T, d], 1, 1);
  const proj = seeded([T, d], 2, 1);
  const a = seeded([T, d], 3, 1);
  const b = seeded([d, h], 4);
  const w1 = seeded([d, k * h], 5);
  const w2 = seeded([k * h, d], 6);
  const experts = [8, 32].map((E, i) => ({ E, r: seeded([d, E], 7 + i, 0.5), e1: seeded([E, d, h], 9 + i), e2: seeded([E, h, d], 11 + i) }));
  // Diagnostics: the grouped matmul alone on T·k rows routed round-robin, against one plain matmul.
  const rowsIn = seeded([T * k, d], 13, 1);
  const plainW = seeded([d, h], 14);
  const plans = experts.map(({ E }) => {
    const ids = tf.tensor2d(Array.from({ length: T * k }, (_, i) => i % E), [T, k], 'int32');
    const plan = computeDispatchPlan(ids, E);
    ids.dispose();
    return plan;
  });
  const [matmulMs, denseMs, moeE8, moeE32, plainMs, gmmE8, gmmE32] = await timeInterleaved([
    () => settle(() => [tf.matMul(a, b)]),
    () => settle(() => denseStep(x, w1, w2, proj)),
    ...experts.map(({ r, e1, e2 }) => () => settle(() => moeStep(x, r, e1, e2, proj, k))),
    () => settle(() => [tf.matMul(rowsIn, plainW)]),
    ...experts.map(({ e1 }, i) => () => settle(() => [groupedMatMul(rowsIn as tf.Tensor2D, e1 as tf.Tensor3D, plans[i])])),
  ], iterations);
  const moe = [moeE8, moeE32];
  plans.forEach(disposeDispatchPlan);
  tf.dispose([rowsIn, plainW]);
  const matmulGflops = (2 * T * d * h) / matmulMs / 1e6;
  log(`${backend}: matmul [${T},${d}]x[${d},${h}] ${matmulMs.toFixed(1)} ms = ${matmulGflops.toFixed(2)} GFLOP/s`);
  log(`${backend}: dense FFN fwd+bwd (hidden ${k * h}) ${denseMs.toFixed(1)} ms`);
  const moeMs: Record<number, number> = {};
  experts.forEach(({ E }, i) => {
    moeMs[E] = moe[i];
    log(`${backend}: MoE top-${k} of ${E} fwd+bwd ${moe[i].toFixed(1)} ms`);
  });
  tf.dispose([x, proj, a, b, w1, w2, ...experts.flatMap(({ r, e1, e2 }) => [r, e1, e2])]);
  // Active FLOPs of the MoE step: T·k rows through two [d,h] matmuls, forward (1×) + backward (2×).
  const moeGflops = (3 * 2 * 2 * T * k * d * h) / moeMs[8] / 1e6;
  return {
    backend, device, software, shape, iterations,
    matmulMs, matmulGflops, denseMs, moeE8Ms: moeMs[8], moeE32Ms: moeMs[32],
    moeOverDense: moeMs[8] / denseMs,
    e32OverE8: moeMs[32] / moeMs[8],
    moeGflops,
    utilisation: moeGflops / matmulGflops,
    groupedMatMulE32OverE8: gmmE32 / gmmE8,
    groupedMatMulOverMatMul: gmmE8 / plainMs,
  };
}

function verdict(value: number, target: number, lowerIsBetter: boolean): string {
  const ok = lowerIsBetter ? value <= target : value >= target;
  return `${value.toFixed(3)} ${ok ? '✓' : '✗'} (target ${lowerIsBetter ? '≤' : '≥'} ${target})`;
}

const kernels: BenchSuite = async (ctx: BenchContext): Promise<BenchReport> => {
  const full: Shape = { tokens: 4096, model: 512, expertHidden: 1024, k: 2 };
  // Software WebGPU (lavapipe) runs 10–40× slower than wasm: an eighth of the tokens keeps it to minutes.
  const shapes: Record<'wasm' | 'webgpu', Shape> = ctx.quick
    ? { wasm: { ...full, tokens: 512 }, webgpu: { ...full, tokens: 256 } }
    : { wasm: full, webgpu: { ...full, tokens: 512 } };
  const iterations: Record<'wasm' | 'webgpu', number> = ctx.quick ? { wasm: 3, webgpu: 1 } : { wasm: 5, webgpu: 3 };
  const results: BackendResult[] = [];
  const failures: string[] = [];
  // `--backends=wasm` (or webgpu) narrows the run while iterating; the published run measures both.
  const only = ctx.args.find((a) => a.startsWith('--backends='))?.slice('--backends='.length).split(',');
  for (const backend of (['wasm', 'webgpu'] as const).filter((b) => !only || only.includes(b))) {
    try {
      results.push(await benchBackend(backend, shapes[backend], iterations[backend], ctx.log));
    } catch (e) {
      failures.push(`${backend}: ${(e as Error).message}`);
      ctx.log(`${backend} skipped: ${(e as Error).message}`);
    }
  }
  const rows = results.map((r) => ({
    backend: r.backend,
    device: `${r.device}${r.backend === 'webgpu' && r.software ? ' (software, CPU-emulated GPU)' : ''}`,
    'T×d×h, k': `${r.shape.tokens}×${r.shape.model}×${r.shape.expertHidden}, ${r.shape.k}`,
    matmulGflops: r.matmulGflops,
    'dense ms': r.denseMs,
    'MoE E=8 ms': r.moeE8Ms,
    'MoE E=32 ms': r.moeE32Ms,
    moeOverDense: verdict(r.moeOverDense, TARGETS.moeOverDense, true),
    e32OverE8: verdict(r.e32OverE8, TARGETS.e32OverE8, true),
    'moeGflops/matmulGflops': verdict(r.utilisation, TARGETS.utilisation, false),
  }));
  const diagnostics = results.map((r) => ({
    backend: r.backend,
    'grouped matmul E=8 / plain matmul (fwd, same FLOPs)': r.groupedMatMulOverMatMul,
    'grouped matmul E=32 / E=8 (fwd)': r.groupedMatMulE32OverE8,
    'MoE E=32 / E=8 (fwd+bwd)': r.e32OverE8,
  }));
  const markdown = [
    'MoE FFN (router softmax → top-2 → dropless dispatch plan → dispatch → grouped matmul → ReLU → grouped matmul → combine), forward + backward',
    'with respect to input, router and expert weights, against a dense ReLU FFN of hidden k·h (same active FLOPs), and a plain',
    '[T,d]×[d,h] matmul as the backend\'s dense limit. Times are medians over interleaved iterations after one warm-up, including readback.',
    '',
    markdownTable(rows),
    '',
    `Targets (wasm): moeOverDense ≤ ${TARGETS.moeOverDense}, e32OverE8 ≤ ${TARGETS.e32OverE8}, utilisation ≥ ${TARGETS.utilisation}.`,
    '',
    'Where the time goes (diagnostics from the same run):',
    '',
    markdownTable(diagnostics),
    '',
    'On wasm the grouped matmul is one XNNPACK matmul per expert block (per-expert weight blocks are cached per weight tensor, so',
    'XNNPACK keeps their packed form across calls, as it does for the dense weights), and dispatch/combine are row copies: the MoE step',
    'runs at about the speed of the dense FFN. E=32 holds 4× the expert parameters of E=8 (fixed active FLOPs): every step reads them',
    'forward and backward and writes a 4× larger weight gradient (per-expert blocks from only K = T·k/E rows each), the memory-bound',
    'part that grows with E; the diagnostics show how much of the E-scaling is already in the forward grouped matmul. On lavapipe it',
    'is not (not profiled further: the WGSL weight-gradient kernel and the composite dispatch plan are the parts whose work grows with E).',
    'Both the dense baseline and the MoE use this package\'s wasm matmul wrapper for transposed operands (see libs/kernels/README.md).',
    'No GPU machine was available to this task: the webgpu row runs the WGSL kernels on Mesa lavapipe (Vulkan on the CPU), at fewer tokens,',
    'and says nothing about real-GPU speed; no PyTorch comparison was possible. The machine (2 vCPUs) was shared with other work while measuring,',
    'so absolute times are noisy; the ratios come from one run each.',
    ...(failures.length ? ['', `Not measured: ${failures.join('; ')}`] : []),
  ].join('\n');
  return { results: { targets: TARGETS, quick: ctx.quick, backends: results, failures }, markdown };
};

export default kernels;
