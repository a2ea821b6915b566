// `npm run bench -- deweather [--quick] [--ablations] [--steps=N]`: MoFME deweathering on synthetic weather
// over real photos (Debian packages) + procedural scenes. Trains MoFME (FiLM experts + working UaR), a
// conventional MoE-FFN and a dense FFN of equal parameters, 3 seeds each, selects on validation, evaluates once
// on the test split per weather type (raindrop held out of training = out-of-distribution); measures the
// UaR's uncertainty on the held-out type, parameters and time of MoFME ÷ MoE at 16 and 64 experts (D = 384,
// 900 tokens), and images/s at 256² (tiled inference as the service runs it). Writes before/after PNGs of
// real photos to bench/results/deweather/.
// `npm run bench -- deweather --only-real-photos`: no training or evaluation; restores the real bad-weather photos
// without ground truth (REAL_IMAGES kind 'weather-photo', from mate-backgrounds) with the committed default model and
// writes bench/results/deweather/real-weather-*.png plus the BENCHMARKS.md section `deweather-real-photos`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { prepareBackend, type BackendName, type TrainEvent } from '@moe/runtime';
import { synthesizeWeather, writeImage, readImage, listRealImages, createRasterImage, cropImage, psnr, resizeShorterSide, toChannels, WEATHER_TYPES, type RasterImage } from '@moe/vision';
import {
  DeweatherNet, DEFAULT_MODEL_DIR, formatMeanStd, loadDeweatherArtifact, measureExpertCost, meanStd, prepareExperimentData, restoreImage, runExperiment, parseExperimentConfig,
  type ExperimentResult, type ExpertCostRow, type RunResult,
} from '@moe/deweather';
import { markdownTable, repoRoot, type BenchSuite } from '../report.js';

/** |a − b| per sample, times `gain`, clamped to [0, 1] (to see what a restoration changed). */
function amplifiedDifference(a: RasterImage, b: RasterImage, gain: number): RasterImage {
  return createRasterImage(a.width, a.height, a.channels, a.data.map((v, i) => Math.min(1, gain * Math.abs(v - b.data[i]))));
}

/** No-reference statistics: RMS contrast (std of BT.601 luma) and the dark-channel mean (He et al.'s haze prior, 7×7 min). */
function noReferenceStats(img: RasterImage): { contrast: number; darkChannel: number } {
  const luma = toChannels(img, 1).data;
  const mean = luma.reduce((s, v) => s + v, 0) / luma.length;
  const contrast = Math.sqrt(luma.reduce((s, v) => s + (v - mean) ** 2, 0) / luma.length);
  const { width: w, height: h, data } = img;
  const minRgb = new Float32Array(w * h).map((_, p) => Math.min(data[p * 3], data[p * 3 + 1], data[p * 3 + 2]));
  const r = 3;
  let dark = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = 1;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) m = Math.min(m, minRgb[yy * w + xx]);
      dark += m;
    }
  }
  return { contrast, darkChannel: dark / (w * h) };
}

/** Share of assignments per expert, mean over layers (as the artefact's metadata.expertUsage). */
function meanExpertShare(counts: number[][]): number[] {
  const shares = counts.map((l) => {
    const t = l.reduce((a, b) => a + b, 0);
    return l.map((c) => c / t);
  });
  return shares[0].map((_, e) => shares.reduce((s, l) => s + l[e], 0) / shares.length);
}

/**
 * Real weather without ground truth: each 'weather-photo' is resized (area) to the training scale (shorter side
 * 128, as loadCleanImages) and to 256, restored with the committed default model as the service does, and
 * written as [before | after | 4·|after − before|]. Only no-reference numbers can be given.
 */
async function realWeatherPhotos(ctx: Parameters<BenchSuite>[0], backend: string): Promise<Awaited<ReturnType<BenchSuite>>> {
  const photos = listRealImages('weather-photo');
  const missing = photos.filter((p) => !p.present).map((p) => p.name);
  if (photos.length === 0 || missing.length) throw new Error(`bench deweather --only-real-photos: missing ${missing.join(', ') || 'weather photos'}; run node scripts/extract-real-images.mjs`);
  const { net, metadata } = await loadDeweatherArtifact(DEFAULT_MODEL_DIR);
  const outDir = join(repoRoot, 'bench', 'results', 'deweather');
  mkdirSync(outDir, { recursive: true });
  const rows: Record<string, string | number>[] = [];
  const results: unknown[] = [];
  try {
    for (const photo of photos) {
      const full = await readImage(photo.path, { channels: 3 });
      for (const side of [128, 256]) {
        const before = resizeShorterSide(full, side, { method: 'area' });
        const t0 = performance.now();
        const r = await restoreImage(net, before, { tile: metadata.crop });
        const ms = performance.now() - t0;
        const file = `real-weather-${photo.name.replace(/\.\w+$/, '')}-${side}.png`;
        await writeImage(join(outDir, file), strip([before, r.image, amplifiedDifference(r.image, before, 4)]));
        const b = noReferenceStats(before), a = noReferenceStats(r.image);
        const share = meanExpertShare(r.expertCounts);
        // Which synthetic weather type's routing (metadata, test split) the photo's routing is closest to.
        const tv = Object.entries(metadata.expertUsage).map(([t, u]) => ({ t, d: 0.5 * u.reduce((s, v, e) => s + Math.abs(v - share[e]), 0) })).sort((x, y) => x.d - y.d);
        const meanChange = r.image.data.reduce((s, v, i) => s + Math.abs(v - before.data[i]), 0) / before.data.length;
        ctx.log(`${file}: ${before.width}×${before.height}, ${r.tiles} tiles, ${ms.toFixed(0)} ms, mean |change| ${meanChange.toFixed(4)}, contrast ${b.contrast.toFixed(3)} → ${a.contrast.toFixed(3)}, dark channel ${b.darkChannel.toFixed(3)} → ${a.darkChannel.toFixed(3)}`);
        rows.push({
          file,
          size: `${before.width}×${before.height}`,
          tiles: r.tiles,
          'mean |after − before|': meanChange.toFixed(4),
          'PSNR(after, before) dB': psnr(r.image, before).toFixed(2),
          'RMS contrast before → after': `${b.contrast.toFixed(3)} → ${a.contrast.toFixed(3)}`,
          'dark channel before → after': `${b.darkChannel.toFixed(3)} → ${a.darkChannel.toFixed(3)}`,
          'routing closest to (TV distance)': tv.map((x) => `${x.t} ${x.d.toFixed(3)}`).join(', '),
        });
        results.push({ photo: photo.name, side, width: before.width, height: before.height, tiles: r.tiles, ms, meanChange, before: b, after: a, expertShare: share, routingDistance: tv });
      }
    }
  } finally {
    net.dispose();
  }
  const markdown = [
    `Real bad-weather photos **without ground truth** (Debian \`mate-backgrounds\`, REAL_IMAGES kind 'weather-photo'), restored by the committed default model (\`apps/deweather/models/default\`: ${metadata.variant}, ${metadata.steps} steps, trained on synthetic ${metadata.trainTypes.join(', ')}) exactly as \`POST /restore\` does (${metadata.crop}² tiles, feathered stitching), backend ${backend}. ` +
      `Each photo is area-resized to a shorter side of 128 (the training scale) and 256. Files: bench/results/deweather/real-weather-<photo>-<side>.png = [before | after | 4·|after − before|]. ` +
      `No PSNR/SSIM against a clean image is possible; the numbers are no-reference: RMS contrast (std of luma) and the dark-channel mean (7×7; lower = less haze-like), and the nearest synthetic type by expert routing (total-variation distance to the metadata's per-type expert shares).`,
    '',
    ...photos.map((p) => `- ${p.name}: ${p.description}.`),
    '',
    markdownTable(rows),
    '',
    '### What the pictures show',
    '',
    REAL_PHOTOS_VERDICT,
  ].join('\n');
  return { results: { model: DEFAULT_MODEL_DIR, photos: results }, markdown, section: 'deweather-real-photos' };
}

/** Written after looking at the PNGs of the run recorded in BENCHMARKS.md (update when the default model changes). */
const REAL_PHOTOS_VERDICT = [
  '- **storm.jpg: essentially unchanged.** Mean change 0.003 (under one 8-bit code), contrast and dark channel move by ~1 %: the dim veil over the horizon and the dark storm sky are not lifted (no dehazing), nothing is removed. The only visible effect, at 4× magnification of the difference, is a faint 4-px grid (the 4×4 patch tokens) in the bright sky and along the guard rail.',
  '- **raindrops.jpg: not restored, degraded.** The drops on the leaves (scene content, which should stay) are kept, but the whole picture is darkened (mean luma 0.360 → 0.309 at 256; the sunlit leaf most: RMS contrast 0.21 → 0.17, dark channel 0.12 → 0.07), i.e. the model treats the bright, low-saturation parts as a haze veil and removes it, and a 4-px checkerboard texture is visible on the smooth leaf.',
  '- Routing: both photos are routed closest to the synthetic *raindrop* profile, but the distances (0.10–0.22) are as large as or larger than those between the synthetic types themselves (0.04–0.14 in the metadata), so this is not evidence that the router recognises real weather.',
  '- Same picture at both scales (128 = training scale, 256). Conclusion: the small default model (150 steps, D = 48, trained on synthetic weather over a handful of photos) does not transfer to these real photos; its gains are on the synthetic test pairs only (section `deweather`). These two photos have no falling rain or fog in front of a scene, so they test "do no harm" more than restoration.',
].join('\n');

/** Side-by-side strip of equally sized images with a 2-px white gap. */
function strip(images: RasterImage[]): RasterImage {
  const gap = 2;
  const h = images[0].height;
  const w = images.reduce((s, i) => s + i.width, 0) + gap * (images.length - 1);
  const out = new Float32Array(w * h * 3).fill(1);
  let x0 = 0;
  for (const im of images) {
    for (let y = 0; y < h; y++) out.set(im.data.subarray(y * im.width * 3, (y + 1) * im.width * 3), (y * w + x0) * 3);
    x0 += im.width + gap;
  }
  return createRasterImage(w, h, 3, out);
}

function tableRows(result: ExperimentResult): Record<string, string | number>[] {
  const types = result.config.evalTypes;
  const rows: Record<string, string | number>[] = [];
  for (const variant of result.config.variants) {
    const runs = result.runs.filter((r) => r.variant === variant);
    const row: Record<string, string | number> = { variant, seeds: runs.length, 'params (FFN)': `${runs[0].params} (${runs[0].ffnParams})`, active: runs[0].activeParams };
    for (const t of types) {
      const label = result.heldOut.includes(t) ? `${t} (held out)` : t;
      row[`${label} PSNR`] = formatMeanStd(runs.map((r) => r.test.byType[t]!.psnr));
      row[`${label} SSIM`] = formatMeanStd(runs.map((r) => r.test.byType[t]!.ssim), 3);
    }
    row['mixed PSNR'] = formatMeanStd(runs.map((r) => meanOf(r, result.config.trainTypes, 'psnr')));
    row['mixed SSIM'] = formatMeanStd(runs.map((r) => meanOf(r, result.config.trainTypes, 'ssim')), 3);
    row['best step'] = runs.map((r) => r.bestStep + 1).join('/');
    row['val PSNR best / final'] = `${meanStd(runs.map((r) => r.bestValPsnr)).mean.toFixed(2)} / ${meanStd(runs.map((r) => r.finalValPsnr)).mean.toFixed(2)}`;
    rows.push(row);
  }
  const input: Record<string, string | number> = { variant: 'input (no restoration)', seeds: '', 'params (FFN)': '', active: '' };
  const r0 = result.runs[0];
  for (const t of types) {
    const label = result.heldOut.includes(t) ? `${t} (held out)` : t;
    input[`${label} PSNR`] = r0.test.byType[t]!.inputPsnr.toFixed(2);
    input[`${label} SSIM`] = r0.test.byType[t]!.inputSsim.toFixed(3);
  }
  const idTypes = result.config.trainTypes;
  input['mixed PSNR'] = (idTypes.reduce((s, t) => s + r0.test.byType[t]!.inputPsnr, 0) / idTypes.length).toFixed(2);
  input['mixed SSIM'] = (idTypes.reduce((s, t) => s + r0.test.byType[t]!.inputSsim, 0) / idTypes.length).toFixed(3);
  rows.push(input);
  return rows;
}

/** Mean over the in-distribution types, each type weighted equally (the "mixed" set). */
function meanOf(r: RunResult, types: readonly string[], key: 'psnr' | 'ssim'): number {
  return types.reduce((s, t) => s + r.test.byType[t as keyof RunResult['test']['byType']]![key], 0) / types.length;
}

function usageTables(result: ExperimentResult): string {
  const parts: string[] = [];
  for (const variant of result.config.variants.filter((v) => v !== 'dense')) {
    const run = result.runs.find((r) => r.variant === variant && r.seed === result.config.seeds[0])!;
    const layers = run.test.all.expertShare.length;
    for (let l = 0; l < layers; l++) {
      const rows = result.config.evalTypes.map((t) => {
        const share = run.test.byType[t]!.expertShare[l];
        return { type: t, ...Object.fromEntries(share.map((s, e) => [`e${e}`, s.toFixed(2)])) };
      });
      parts.push(`**${variant}, seed ${run.seed}, layer ${l}** — share of assignments per expert:\n\n${markdownTable(rows)}`);
    }
  }
  return parts.join('\n\n');
}

/** Total-variation distance between two types' expert-share vectors, averaged over layers and seeds (0 = same experts, 1 = disjoint). */
function routingSeparation(result: ExperimentResult, variant: string, a: string, b: string): number {
  const runs = result.runs.filter((r) => r.variant === variant);
  const d = runs.map((r) => {
    const sa = r.test.byType[a as 'rain']!.expertShare;
    const sb = r.test.byType[b as 'rain']!.expertShare;
    return sa.reduce((s, layer, l) => s + 0.5 * layer.reduce((t, v, e) => t + Math.abs(v - sb[l][e]), 0), 0) / sa.length;
  });
  return meanStd(d).mean;
}

const suite: BenchSuite = async (ctx) => {
  const backendArg = ctx.args.find((a) => a.startsWith('--backend='))?.slice('--backend='.length) ?? 'wasm';
  const attempt = await prepareBackend(backendArg as BackendName, { allowSoftwareWebGpu: true });
  if (!attempt.ok) throw new Error(`bench deweather: backend ${backendArg} cannot start: ${attempt.reason}`);
  await tf.setBackend(backendArg);
  await tf.ready();
  if (ctx.args.includes('--only-real-photos')) return realWeatherPhotos(ctx, backendArg);
  const stepsArg = ctx.args.find((a) => a.startsWith('--steps='));
  const steps = stepsArg ? Number(stepsArg.slice('--steps='.length)) : ctx.quick ? 30 : 100;
  // Ablations (MoFME with a plain top-k router; with @moe/core's UncertaintyRouter as published) on the first seed only.
  const ablations = ctx.args.includes('--ablations') ? (['mofme-topk', 'mofme-uar-core'] as const) : ([] as const);
  const variants = ['mofme', 'moe', 'dense', ...ablations] as const;
  const config = parseExperimentConfig({
    variants: ['mofme', 'moe', 'dense'],
    seeds: ctx.quick ? [1] : [1, 2, 3],
    training: { steps, evalEvery: Math.max(10, Math.round(steps / 4)) },
  });
  const data = await prepareExperimentData(config);
  ctx.log(`data: train ${data.images.train.length} images, val ${data.valPairs.length} pairs, test ${data.testPairs.length} pairs; ${variants.length} variants × ${config.seeds.length} seeds × ${steps} steps`);
  const outDir = join(repoRoot, 'bench', 'results', 'deweather');
  mkdirSync(outDir, { recursive: true });
  const figures: string[] = [];
  const identity: { name: string; change: number }[] = [];
  const hooks = {
    data,
    onEvent: (run: string, e: TrainEvent) => {
      if (e.type === 'validation') ctx.log(`${run} step ${e.step + 1}: val PSNR ${e.value.toFixed(2)} (best ${e.best.toFixed(2)})`);
      if (e.type === 'end') ctx.log(`${run} done in ${(e.elapsedMs / 1000).toFixed(0)} s`);
    },
    onRun: async (r: RunResult, net: DeweatherNet) => {
      ctx.log(`${r.variant}/seed${r.seed}: test ${WEATHER_TYPES.map((t) => `${t} ${r.test.byType[t]?.psnr.toFixed(2)}`).join(', ')}`);
      if (r.variant !== 'mofme' || r.seed !== config.seeds[0]) return;
      // Real test photos, degraded by the synthesis and restored (with ground truth), and restored as they are.
      const photos = data.images.test.filter((i) => i.source === 'real');
      for (const photo of photos) {
        const clean = photo.image;
        const row: RasterImage[] = [];
        for (const type of WEATHER_TYPES) {
          const degraded = synthesizeWeather(clean, type, 7).degraded;
          const restored = (await restoreImage(net, degraded)).image;
          const file = `${photo.name.replace(/\.\w+$/, '')}-${type}.png`;
          await writeImage(join(outDir, file), strip([degraded, restored, clean]));
          figures.push(`${file}: ${type}, degraded ${psnr(degraded, clean).toFixed(2)} dB → restored ${psnr(restored, clean).toFixed(2)} dB`);
          row.push(restored);
        }
        const asIs = (await restoreImage(net, clean)).image;
        await writeImage(join(outDir, `${photo.name.replace(/\.\w+$/, '')}-no-weather.png`), strip([clean, asIs]));
        identity.push({ name: photo.name, change: psnr(asIs, clean) });
      }
    },
  };
  const experiment = await runExperiment(config, hooks);
  if (ablations.length) {
    const extra = await runExperiment({ ...config, variants: [...ablations], seeds: [config.seeds[0]] }, hooks);
    experiment.runs.push(...extra.runs);
    experiment.config = { ...experiment.config, variants: [...experiment.config.variants, ...ablations] };
  }

  ctx.log('expert cost ratios (D = 384, 900 tokens, k = 2)');
  const costs: ExpertCostRow[] = [];
  for (const experts of [16, 64]) costs.push(await measureExpertCost({ dim: 384, experts, k: 2, tokens: ctx.quick ? 300 : 900, reps: ctx.quick ? 2 : 3 }));

  ctx.log('inference throughput at 256²');
  const throughput: { variant: string; imagesPerSecond: number; tiles: number }[] = [];
  const square = cropImage(resizeShorterSide(data.images.test[0].image, 256), 0, 0, 256, 256);
  for (const variant of variants) {
    const net = new DeweatherNet({ ...config.model, variant, seed: 1 });
    await restoreImage(net, square);
    const reps = ctx.quick ? 1 : 3;
    const times: number[] = [];
    let tiles = 0;
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      tiles = (await restoreImage(net, square)).tiles;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    throughput.push({ variant, imagesPerSecond: 1000 / times[Math.floor(times.length / 2)], tiles });
    net.dispose();
  }

  const cal = experiment.runs.filter((r) => r.calibration);
  const calRows = cal.map((r) => ({
    variant: r.variant,
    seed: r.seed,
    'AUROC MI (UaR)': r.calibration!.aurocMutualInformation.toFixed(3),
    'AUROC entropy (plain router)': r.calibration!.aurocEntropy.toFixed(3),
    'mean MI in-dist': r.calibration!.idMean.toExponential(3),
    'mean MI held-out': r.calibration!.oodMean.toExponential(3),
  }));
  const markdown = [
    `Restoration network (apps/deweather): conv head (${config.model.channels} ch) → ${config.model.patch}×${config.model.patch} patch tokens, D = ${config.model.dim}, ${config.model.depth} pre-norm transformer layers (${config.model.heads} heads) whose FFN is the variant → unpatchify → conv tail, residual output. ` +
      `MoE variants: E = ${config.model.experts}, top-${config.model.k}, Switch balance loss ${config.model.balanceWeight}; UaR: M = ${config.model.uarSamples} MC-dropout samples (p = ${config.model.uarDropout}). ` +
      `Equal active compute per token (10·D² multiply-adds in the FFN for all three); the dense FFN also has the MoFME block's parameter count.`,
    '',
    `Data: clean = real photos from Debian packages (train ${experiment.data.train.filter((n) => !n.startsWith('procedural')).join(', ')}; val ${experiment.data.val.filter((n) => !n.startsWith('procedural')).join(', ')}; test ${experiment.data.test.filter((n) => !n.startsWith('procedural')).join(', ')}) resized to a ${config.data.side}-px shorter side, plus procedural scenes (${config.data.procedural.train}/${config.data.procedural.val}/${config.data.procedural.test}); split by image. ` +
      `Training: ${steps} Adam steps, batch ${config.training.batch}, ${config.data.crop}² random crops with fresh weather of types ${config.trainTypes.join(', ')}, L1 loss, lr ${config.training.learningRate} warm-up + cosine; checkpoint = best validation PSNR (val split, training types, ${experiment.data.valPairs} pairs). ` +
      `Test: ${experiment.data.testPairs} fixed pairs (${config.data.crop}² crops of the test images × ${config.evalTypes.length} types); **${experiment.heldOut.join(', ')} never seen in training** (out of distribution).`,
    '',
    `PSNR (dB) and SSIM on **RGB in [0, 1] at ${config.data.crop}×${config.data.crop}** (the crop resolution; SSIM: Gaussian 11×11, σ = 1.5, valid windows, mean over channels). mean ± std over seeds; "mixed" = mean over the in-distribution types.`,
    '',
    markdownTable(tableRows(experiment)),
    '',
    `Best step / val PSNR best vs final: checkpoint selection on validation; the final-step value is reported too (vision.md §6).`,
    '',
    `### Expert usage per weather type (does routing separate rain from haze?)`,
    '',
    ...config.variants.filter((v) => v !== 'dense').map((v) => `- ${v}: total-variation distance between the expert-share vectors, mean over layers and seeds: rain vs haze ${routingSeparation(experiment, v, 'rain', 'haze').toFixed(3)}, rain vs snow ${routingSeparation(experiment, v, 'rain', 'snow').toFixed(3)}, haze vs snow ${routingSeparation(experiment, v, 'haze', 'snow').toFixed(3)} (0 = identical usage).`),
    '',
    usageTables(experiment),
    '',
    `### UaR calibration: does the routing uncertainty rise on the held-out weather?`,
    '',
    `Per test image: mean over tokens and layers of the mutual information between expert choice and the dropout mask (M samples); AUROC for telling held-out-type images (${experiment.heldOut.join(', ')}) from in-distribution ones, against the plain router's softmax entropy as the baseline score.`,
    '',
    calRows.length ? markdownTable(calRows) : '_no UaR variant run_',
    '',
    `### MoFME ÷ conventional MoE: parameters and time (one FFN block, D = 384, hidden 4D, top-2, ${ctx.quick ? 300 : 900} tokens, evaluation forward, median of ${ctx.quick ? 2 : 3} after warm-up, ${backendArg})`,
    '',
    markdownTable(costs.flatMap((c) => c.mofme.map((m) => ({ E: c.experts, modulation: m.modulation, 'MoE params': c.moeParams, 'MoFME params': m.params, 'params ratio': m.paramRatio.toFixed(3), 'MoE ms': c.moeMs.toFixed(1), 'MoFME ms': m.ms.toFixed(1), 'time ratio': m.timeRatio.toFixed(3) })))),
    '',
    `Paper (E = 128, k = 4, linear γ/β, all E modulations computed densely): ≈ 0.28 parameters, ≈ 0.61 time. Here the chosen k modulations are dispatched sparsely. Times on a machine shared with other jobs: compare the ratios within this run.`,
    '',
    `### Inference throughput at 256×256 (tiled as the service runs it: ${config.data.crop}² tiles, overlap ${Math.round(config.data.crop / 6)}, batch 16)`,
    '',
    markdownTable(throughput.map((t) => ({ variant: t.variant, 'images/s': t.imagesPerSecond.toFixed(2), tiles: t.tiles }))),
    '',
    `### Real photos (test split), MoFME seed ${config.seeds[0]}: bench/results/deweather/*.png, each [degraded | restored | clean]`,
    '',
    ...figures.map((f) => `- ${f}`),
    ...identity.map((x) => `- ${x.name.replace(/\.\w+$/, '')}-no-weather.png: the clean photo (no ground truth for weather) before | after; restoration changes it by PSNR ${x.change.toFixed(2)} dB`),
  ].join('\n');
  return { results: { experiment, costs, throughput, figures, identity }, markdown };
};

export default suite;
