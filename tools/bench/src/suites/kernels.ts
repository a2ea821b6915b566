// `npm run bench -- kernels [--quick] [--backends=wasm,wasm+native,webgpu] [--no-peer]`: MoE kernel throughput per backend
// (wasm with its own kernels; wasm with @moe/native's OpenBLAS matmuls; webgpu on whatever adapter Dawn finds — Mesa lavapipe, a CPU,
// when there is no GPU), against PyTorch on the same machine in the same run, and the native path's scaling from 1 thread to
// every core. Issues 2 (item 5) and 14.
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { combine, computeDispatchPlan, disposeDispatchPlan, dispatch, groupedMatMul } from '@moe/kernels';
import { nativeStatus, setNativeEnabled, setNativeThreads } from '@moe/native';
import { installWebGpu, prepareBackend } from '@moe/runtime';
import { markdownTable, repoRoot, type BenchContext, type BenchReport, type BenchSuite } from '../report.js';

/** What a row measures: a tensor backend, or wasm with the native GEMM kernels switched on. */
type Variant = 'wasm' | 'wasm+native' | 'webgpu';
const VARIANTS: readonly Variant[] = ['wasm+native', 'wasm', 'webgpu'];

interface Shape {
  tokens: number;
  model: number;
  expertHidden: number;
  k: number;
}

interface BackendResult {
  backend: Variant;
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

const TARGETS = { moeOverDense: 1.15, e32OverE8: 1.1, utilisation: 0.7, moeOverPeer: 1.0 };

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

/** Makes a variant's backend active: wasm with the native path switched off or on, or webgpu. */
async function startVariant(variant: Variant): Promise<{ device: string; software: boolean }> {
  const backend = variant === 'webgpu' ? 'webgpu' : 'wasm';
  const attempt = await prepareBackend(backend, { allowSoftwareWebGpu: true });
  if (!attempt.ok) throw new Error(`backend ${backend} cannot start: ${attempt.reason}`);
  await tf.setBackend(backend);
  await tf.ready();
  if (variant === 'webgpu') {
    const info = await installWebGpu();
    return { device: `webgpu: ${info.vendor} ${info.architecture} ${info.description}`.trim(), software: info.software };
  }
  if (variant === 'wasm') {
    if (nativeStatus().available) setNativeEnabled(false);
    return { device: 'wasm SIMD, 1 thread (CPU)', software: true };
  }
  const status = setNativeEnabled(true); // throws with the reason when the library cannot load
  return { device: `wasm + native GEMM: ${status.reason}`, software: true };
}

/** The workloads of one row, on tensors made once per row. */
function workloads(shape: Shape) {
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
  return {
    matmul: () => settle(() => [tf.matMul(a, b)]),
    dense: () => settle(() => denseStep(x, w1, w2, proj)),
    moe: experts.map(({ r, e1, e2 }) => () => settle(() => moeStep(x, r, e1, e2, proj, k))),
    plain: () => settle(() => [tf.matMul(rowsIn, plainW)]),
    grouped: experts.map(({ e1 }, i) => () => settle(() => [groupedMatMul(rowsIn as tf.Tensor2D, e1 as tf.Tensor3D, plans[i])])),
    dispose: () => {
      plans.forEach(disposeDispatchPlan);
      tf.dispose([x, proj, a, b, w1, w2, rowsIn, plainW, ...experts.flatMap(({ r, e1, e2 }) => [r, e1, e2])]);
    },
  };
}

const matmulGflopsOf = (shape: Shape, ms: number) => (2 * shape.tokens * shape.model * shape.expertHidden) / ms / 1e6;
// Active FLOPs of the MoE step: T·k rows through two [d,h] matmuls, forward (1×) + backward (2×).
const moeGflopsOf = (shape: Shape, ms: number) => (3 * 2 * 2 * shape.tokens * shape.k * shape.model * shape.expertHidden) / ms / 1e6;

async function benchVariant(variant: Variant, shape: Shape, iterations: number, log: (m: string) => void): Promise<BackendResult> {
  const { device, software } = await startVariant(variant);
  const w = workloads(shape);
  const { tokens: T, model: d, expertHidden: h, k } = shape;
  const [matmulMs, denseMs, moeE8, moeE32, plainMs, gmmE8, gmmE32] = await timeInterleaved([w.matmul, w.dense, ...w.moe, w.plain, ...w.grouped], iterations);
  w.dispose();
  const matmulGflops = matmulGflopsOf(shape, matmulMs);
  log(`${variant}: matmul [${T},${d}]x[${d},${h}] ${matmulMs.toFixed(1)} ms = ${matmulGflops.toFixed(2)} GFLOP/s`);
  log(`${variant}: dense FFN fwd+bwd (hidden ${k * h}) ${denseMs.toFixed(1)} ms`);
  log(`${variant}: MoE top-${k} of 8 / 32 fwd+bwd ${moeE8.toFixed(1)} / ${moeE32.toFixed(1)} ms`);
  const moeGflops = moeGflopsOf(shape, moeE8);
  return {
    backend: variant, device, software, shape, iterations,
    matmulMs, matmulGflops, denseMs, moeE8Ms: moeE8, moeE32Ms: moeE32,
    moeOverDense: moeE8 / denseMs,
    e32OverE8: moeE32 / moeE8,
    moeGflops,
    utilisation: moeGflops / matmulGflops,
    groupedMatMulE32OverE8: gmmE32 / gmmE8,
    groupedMatMulOverMatMul: gmmE8 / plainMs,
  };
}

interface ScalingPoint {
  engine: 'wasm+native' | 'pytorch';
  threads: number;
  matmulGflops: number;
  denseMs: number;
  moeE8Ms: number;
}

/** The native path at 1 thread (OpenBLAS' own thread count, set in-process), then back to all cores. */
async function nativeOneThread(shape: Shape, iterations: number, allThreads: number, log: (m: string) => void): Promise<ScalingPoint> {
  await startVariant('wasm+native');
  setNativeThreads(1);
  try {
    const w = workloads(shape);
    const [matmulMs, denseMs, moeE8Ms] = await timeInterleaved([w.matmul, w.dense, w.moe[0]], iterations);
    w.dispose();
    log(`wasm+native, 1 thread: matmul ${matmulGflopsOf(shape, matmulMs).toFixed(1)} GFLOP/s, dense ${denseMs.toFixed(1)} ms, MoE E=8 ${moeE8Ms.toFixed(1)} ms`);
    return { engine: 'wasm+native', threads: 1, matmulGflops: matmulGflopsOf(shape, matmulMs), denseMs, moeE8Ms };
  } finally {
    setNativeThreads(allThreads);
  }
}

/** What the PyTorch peer script prints (one JSON line). */
interface PeerResult {
  peer: string;
  threads: number;
  matmulGflops: number;
  denseMs: number;
  moe8Ms: number;
  moe32Ms: number;
  moeOverDense: number;
  e32OverE8: number;
  moeGflops: number;
}

const PEER_SCRIPT = join(repoRoot, 'tools', 'bench', 'peers', 'peer_moe_torch.py');
// Debian's python3-torch lives under the system interpreter, not a pyenv/venv python3 earlier on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Runs the PyTorch peer (same shapes, forward + backward) with `threads` threads; the reason when it cannot. */
function runPeer(threads: number, log: (m: string) => void): PeerResult | { absent: string } {
  const threadEnv = { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const r = spawnSync(PYTHON, [PEER_SCRIPT, String(threads)], { encoding: 'utf8', env: { ...process.env, ...threadEnv }, timeout: 600_000 });
  if (r.error) return { absent: `${PYTHON} did not run: ${r.error.message}` };
  if (r.status !== 0) {
    const err = r.stderr.trim().split('\n').at(-1) ?? '';
    return { absent: /No module named 'torch'/.test(err) ? 'python3-torch is not installed (npm run bench installs it as root: scripts/ensure-deps.mjs --for bench)' : `peer script failed (exit ${r.status}): ${err}` };
  }
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const peer = JSON.parse(line) as PeerResult;
    log(`${peer.peer}, ${threads} thread(s): matmul ${peer.matmulGflops} GFLOP/s, dense ${peer.denseMs} ms, MoE E=8 / 32 ${peer.moe8Ms} / ${peer.moe32Ms} ms`);
    return peer;
  } catch {
    return { absent: `peer script printed no JSON result (last line: ${line.slice(0, 200)})` };
  }
}

function verdict(value: number, target: number, lowerIsBetter: boolean): string {
  const ok = lowerIsBetter ? value <= target : value >= target;
  return `${value.toFixed(3)} ${ok ? '✓' : '✗'} (target ${lowerIsBetter ? '≤' : '≥'} ${target})`;
}

const kernels: BenchSuite = async (ctx: BenchContext): Promise<BenchReport> => {
  const full: Shape = { tokens: 4096, model: 512, expertHidden: 1024, k: 2 };
  // Software WebGPU (lavapipe) runs 10–40× slower than wasm: an eighth of the tokens keeps it to minutes.
  const shapes: Record<Variant, Shape> = ctx.quick
    ? { wasm: { ...full, tokens: 512 }, 'wasm+native': { ...full, tokens: 512 }, webgpu: { ...full, tokens: 256 } }
    : { wasm: full, 'wasm+native': full, webgpu: { ...full, tokens: 512 } };
  const iterations: Record<Variant, number> = ctx.quick ? { wasm: 3, 'wasm+native': 3, webgpu: 1 } : { wasm: 5, 'wasm+native': 7, webgpu: 3 };
  const results: BackendResult[] = [];
  const failures: string[] = [];
  // `--backends=wasm+native` (or wasm, webgpu) narrows the run while iterating; the published run measures all three.
  const only = ctx.args.find((a) => a.startsWith('--backends='))?.slice('--backends='.length).split(',');
  const unknown = only?.filter((b) => !(VARIANTS as readonly string[]).includes(b)) ?? [];
  if (unknown.length) throw new Error(`--backends must list ${VARIANTS.join(', ')}; got '${only?.join(',')}'`);
  const allThreads = nativeStatus().threads ?? cpus().length;
  // Other processes' load on this (shared) machine, at the start and the end: context for the absolute times.
  const loadAtStart = loadavg()[0];
  // The peer script runs T = 4096 only, so it is compared with full-size rows only (not under --quick). It runs right after the
  // native row (the one it is compared with) so that load from other processes drifts as little as possible between the two.
  const runsPeer = !ctx.quick && !ctx.args.includes('--no-peer');
  let peer: PeerResult | { absent: string } = { absent: ctx.quick ? 'skipped under --quick (the peer script runs T = 4096 only)' : 'skipped (--no-peer)' };
  for (const variant of VARIANTS.filter((b) => !only || only.includes(b))) {
    try {
      results.push(await benchVariant(variant, shapes[variant], iterations[variant], ctx.log));
    } catch (e) {
      failures.push(`${variant}: ${(e as Error).message}`);
      ctx.log(`${variant} skipped: ${(e as Error).message}`);
    }
    if (variant === 'wasm+native' && runsPeer) peer = runPeer(allThreads, ctx.log);
  }
  if (runsPeer && (only && !only.includes('wasm+native'))) peer = runPeer(allThreads, ctx.log);
  const scaling: ScalingPoint[] = [];
  const native = results.find((r) => r.backend === 'wasm+native');
  if (native) {
    scaling.push(await nativeOneThread(native.shape, iterations['wasm+native'], allThreads, ctx.log));
    scaling.push({ engine: 'wasm+native', threads: allThreads, matmulGflops: native.matmulGflops, denseMs: native.denseMs, moeE8Ms: native.moeE8Ms });
  }
  await tf.setBackend('wasm');
  const loadAtEnd = loadavg()[0];
  if (runsPeer && !('absent' in peer)) {
    const onOne = runPeer(1, ctx.log);
    for (const p of [onOne, peer]) if (!('absent' in p)) scaling.push({ engine: 'pytorch', threads: p.threads, matmulGflops: p.matmulGflops, denseMs: p.denseMs, moeE8Ms: p.moe8Ms });
  }
  const peerOk = 'absent' in peer ? undefined : peer;
  const sameShape = (r: BackendResult) => peerOk && r.shape.tokens === full.tokens;
  const rows = results.map((r) => ({
    backend: r.backend,
    device: `${r.device}${r.backend === 'webgpu' && r.software ? ' (software, CPU-emulated GPU)' : ''}`,
    'T×d×h, k': `${r.shape.tokens}×${r.shape.model}×${r.shape.expertHidden}, ${r.shape.k}`,
    matmulGflops: r.matmulGflops,
    'dense ms': r.denseMs,
    'MoE E=8 ms': r.moeE8Ms,
    'MoE E=32 ms': r.moeE32Ms,
    'MoE ÷ PyTorch MoE': sameShape(r) ? verdict(r.moeE8Ms / peerOk!.moe8Ms, TARGETS.moeOverPeer, true) : '—',
    'dense ÷ PyTorch dense': sameShape(r) ? (r.denseMs / peerOk!.denseMs).toFixed(3) : '—',
    moeOverDense: verdict(r.moeOverDense, TARGETS.moeOverDense, true),
    e32OverE8: verdict(r.e32OverE8, TARGETS.e32OverE8, true),
    'moeGflops/matmulGflops': verdict(r.utilisation, TARGETS.utilisation, false),
  }));
  const peerRow = peerOk
    ? {
      backend: 'pytorch (peer)', device: `${peerOk.peer}, CPU, ${peerOk.threads} threads (Debian python3-torch, OpenBLAS)`, 'T×d×h, k': `${full.tokens}×${full.model}×${full.expertHidden}, ${full.k}`,
      matmulGflops: peerOk.matmulGflops, 'dense ms': peerOk.denseMs, 'MoE E=8 ms': peerOk.moe8Ms, 'MoE E=32 ms': peerOk.moe32Ms,
      'MoE ÷ PyTorch MoE': '1', 'dense ÷ PyTorch dense': '1', moeOverDense: peerOk.moeOverDense.toFixed(3), e32OverE8: peerOk.e32OverE8.toFixed(3),
      'moeGflops/matmulGflops': (peerOk.moeGflops / peerOk.matmulGflops).toFixed(3),
    }
    : { backend: 'pytorch (peer)', device: `absent: ${(peer as { absent: string }).absent}`, 'T×d×h, k': '', matmulGflops: '', 'dense ms': '', 'MoE E=8 ms': '', 'MoE E=32 ms': '', 'MoE ÷ PyTorch MoE': '', 'dense ÷ PyTorch dense': '', moeOverDense: '', e32OverE8: '', 'moeGflops/matmulGflops': '' };
  const scalingRows = scaling.map((p) => {
    const one = scaling.find((q) => q.engine === p.engine && q.threads === 1);
    return {
      engine: p.engine, threads: p.threads, matmulGflops: p.matmulGflops, 'dense ms': p.denseMs, 'MoE E=8 ms': p.moeE8Ms,
      'MoE speed-up over 1 thread': one ? (one.moeE8Ms / p.moeE8Ms).toFixed(2) : '—',
    };
  });
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
    'The PyTorch row runs `tools/bench/peers/peer_moe_torch.py` (same shapes; per-expert matmuls on sorted blocks, MegaBlocks-style; a copy',
    'of ../shared/tools/peer_moe_torch.py) in the same run, right after the wasm+native row, so all ratios below come from one run on one machine.',
    '',
    markdownTable([...rows, peerRow]),
    '',
    `Targets: MoE ÷ PyTorch MoE ≤ ${TARGETS.moeOverPeer}, moeOverDense ≤ ${TARGETS.moeOverDense}, e32OverE8 ≤ ${TARGETS.e32OverE8}, utilisation ≥ ${TARGETS.utilisation}.`,
    '',
    'Scaling from 1 thread to every core (the native path sets OpenBLAS\' thread count in-process; PyTorch gets OMP/OPENBLAS_NUM_THREADS',
    'and torch.set_num_threads; its 1-thread run comes last). wasm is single-threaded in Node (see libs/kernels/README.md).',
    '',
    markdownTable(scalingRows),
    '',
    'Where the time goes (diagnostics from the same run):',
    '',
    markdownTable(diagnostics),
    '',
    'On wasm the grouped matmul is one XNNPACK matmul per expert block (per-expert weight blocks are cached per weight tensor, so',
    'XNNPACK keeps their packed form across calls), and dispatch/combine are row copies on the heap. On wasm+native (@moe/native) every',
    'MatMul/BatchMatMul/_FusedMatMul and both grouped-matmul kernels (forward and weight gradient) are cblas_sgemm calls on the wasm heap in',
    'place — transposed operands included, no copies — on OpenBLAS with all cores; everything else (softmax, top-k, ReLU, dispatch,',
    'combine, sums) is still wasm. E=32 holds 4× the expert parameters of E=8 (fixed active FLOPs): every step reads them forward and',
    'backward and writes a 4× larger weight gradient from only K = T·k/E rows per expert, the memory-bound part that grows with E.',
    'No GPU machine was lent to this task: the webgpu row runs the WGSL kernels on Mesa lavapipe (Vulkan on the CPU), at fewer tokens,',
    'and says nothing about real-GPU speed; no PyTorch CUDA comparison was possible. The machine (2 vCPUs) was shared with other work',
    `while measuring (1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} before the 1-thread PyTorch run, on ${cpus().length} cores),`,
    'so absolute times are noisy and multi-threaded GEMMs suffer most; the ratios come from one run.',
    ...(failures.length ? ['', `Not measured: ${failures.join('; ')}`] : []),
  ].join('\n');
  return { results: { targets: TARGETS, quick: ctx.quick, loadAverage: { start: loadAtStart, end: loadAtEnd }, backends: results, peer, scaling, failures }, markdown };
};

export default kernels;
