// Deweather command line: `npm run moe -- apps/deweather/src/cli.ts <command> [flags]`
//   synthesize --input photo.png | --photo china.jpg [--type rain|haze|snow|raindrop|all] [--seed 1] --out dir
//              degraded PNG(s) + auxiliary targets (streaks, transmission, masks) as grey PNGs
//   train      [--variant mofme|moe|dense|mofme-topk|mofme-uar-core] [--seed 1] [--steps 150] [--batch 6]
//              [--types rain,haze,snow,raindrop] --out artefact-dir      (test split evaluated at the end)
//   eval       --model artefact-dir [--types rain,haze,snow,raindrop] | --experiment [--variants a,b] [--seeds 1,2,3] [--steps N]
//   restore    --model artefact-dir --input photo.(png|jpg) --out restored.png
// Progress goes to stderr (a bar on a TTY, JSON lines otherwise; --progress bar|json|none); the JSON summary to stdout.
import '@moe/kernels';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createProgressReporter, selectBackend, type ProgressMode, type TrainEvent } from '@moe/runtime';
import { isWeatherType, psnr, readImage, realImagePath, synthesizeWeather, writeImage, createRasterImage, WEATHER_TYPES, type RasterImage, type WeatherType } from '@moe/vision';
import { loadDeweatherArtifact, saveDeweatherArtifact } from './artifact/deweather-artifact.js';
import { makeEvalPairs } from './data/weather-pairs.js';
import { loadCleanImages } from './data/clean-images.js';
import { evaluatePairs } from './eval/evaluate.js';
import { restoreImage } from './eval/restore-image.js';
import { runExperiment } from './experiment/run-experiment.js';
import { isFfnVariant, FFN_VARIANTS } from './model/ffn-blocks.js';
import { metadataOf } from './service/deweather-context.js';
import { intFlag, parseFlags, requiredFlag } from './cli/parse-flags.js';

const print = (summary: unknown) => process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);

function typesFlag(v: string | undefined, fallback: readonly WeatherType[]): WeatherType[] {
  if (v === undefined) return [...fallback];
  const list = v.split(',').map((s) => s.trim());
  for (const t of list) if (!isWeatherType(t)) throw new Error(`--types: '${t}' is not one of ${WEATHER_TYPES.join(', ')}`);
  return list as WeatherType[];
}

function reporter(flags: Map<string, string>): (run: string, e: TrainEvent) => void {
  const mode = (flags.get('progress') ?? 'auto') as ProgressMode;
  const report = createProgressReporter({ mode, everySteps: 10 });
  return (_run, e) => report(e);
}

const asPlane = (p: RasterImage): RasterImage => {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of p.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return createRasterImage(p.width, p.height, 1, p.data.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0)));
};

async function synthesize(args: string[]): Promise<void> {
  const f = parseFlags(args, ['input', 'photo', 'type', 'seed', 'out']);
  const out = requiredFlag(f, 'out');
  const input = f.get('input') ?? (f.get('photo') ? realImagePath(f.get('photo')!) : undefined);
  if (!input) throw new Error('give --input <image file> or --photo <real image name, e.g. china.jpg>');
  mkdirSync(out, { recursive: true });
  const clean = await readImage(input, { channels: 3 });
  const seed = intFlag(f, 'seed', 1);
  const types = f.get('type') === undefined || f.get('type') === 'all' ? [...WEATHER_TYPES] : typesFlag(f.get('type'), WEATHER_TYPES);
  const written: Record<string, unknown>[] = [];
  for (const type of types) {
    const s = synthesizeWeather(clean, type, seed);
    const files: string[] = [join(out, `${type}.png`)];
    await writeImage(files[0], s.degraded);
    for (const [name, plane] of [['streaks', s.streaks], ['transmission', s.transmission], ['mask', s.mask]] as const) {
      if (!plane) continue;
      const file = join(out, `${type}-${name}.png`);
      await writeImage(file, asPlane(plane));
      files.push(file);
    }
    written.push({ type, seed, params: s.params, airlight: s.airlight, psnr: psnr(s.degraded, clean), files });
  }
  print({ input, width: clean.width, height: clean.height, outputs: written });
}

async function train(args: string[]): Promise<void> {
  const f = parseFlags(args, ['variant', 'seed', 'steps', 'batch', 'types', 'out', 'progress']);
  const out = requiredFlag(f, 'out');
  const variant = f.get('variant') ?? 'mofme';
  if (!isFfnVariant(variant)) throw new Error(`--variant must be one of ${FFN_VARIANTS.join(', ')}; got '${variant}'`);
  const types = typesFlag(f.get('types'), WEATHER_TYPES);
  const steps = intFlag(f, 'steps', 150, 1);
  let summary: unknown;
  await runExperiment(
    { variants: [variant], seeds: [intFlag(f, 'seed', 1)], trainTypes: types, evalTypes: [...WEATHER_TYPES], training: { steps, batch: intFlag(f, 'batch', 6, 1), evalEvery: Math.max(10, Math.round(steps / 5)) } },
    {
      onEvent: reporter(f),
      onRun: async (r, net) => {
        const metadata = metadataOf(r, 48, types, steps);
        await saveDeweatherArtifact(out, { net, metadata });
        summary = { artifact: out, variant: r.variant, seed: r.seed, params: r.params, activeParams: r.activeParams, bestStep: r.bestStep, bestValPsnr: r.bestValPsnr, finalValPsnr: r.finalValPsnr, trainSeconds: r.trainSeconds, test: metadata.metrics, expertUsage: metadata.expertUsage, calibration: r.calibration ?? null };
      },
    },
  );
  print(summary);
}

async function evaluate(args: string[]): Promise<void> {
  const f = parseFlags(args, ['model', 'types', 'experiment', 'variants', 'seeds', 'steps', 'progress']);
  if (f.get('experiment') !== undefined) {
    const variants = (f.get('variants') ?? 'mofme,moe,dense').split(',');
    for (const v of variants) if (!isFfnVariant(v)) throw new Error(`--variants: '${v}' is not one of ${FFN_VARIANTS.join(', ')}`);
    const seeds = (f.get('seeds') ?? '1,2,3').split(',').map(Number);
    const result = await runExperiment({ variants: variants as never, seeds, training: { steps: intFlag(f, 'steps', 100, 1) } }, { onEvent: reporter(f) });
    print(result);
    return;
  }
  const dir = requiredFlag(f, 'model');
  const { net, metadata } = await loadDeweatherArtifact(dir);
  try {
    const images = await loadCleanImages({ side: 96, procedural: { train: 0, val: 0, test: 3 } });
    const pairs = makeEvalPairs(images.test, { crop: metadata.crop, cropsPerImage: 4, types: typesFlag(f.get('types'), WEATHER_TYPES), seed: 13 });
    const ev = await evaluatePairs(net, pairs);
    print({ model: dir, pairs: pairs.length, metric: 'PSNR/SSIM on RGB in [0, 1] at the crop resolution', byType: ev.byType, all: ev.all });
  } finally {
    net.dispose();
  }
}

async function restore(args: string[]): Promise<void> {
  const f = parseFlags(args, ['model', 'input', 'out']);
  const { net, metadata } = await loadDeweatherArtifact(requiredFlag(f, 'model'));
  try {
    const img = await readImage(requiredFlag(f, 'input'), { channels: 3 });
    const t0 = performance.now();
    const r = await restoreImage(net, img, { tile: metadata.crop });
    mkdirSync(dirname(requiredFlag(f, 'out')), { recursive: true });
    await writeImage(requiredFlag(f, 'out'), r.image);
    print({ input: f.get('input'), out: f.get('out'), width: r.image.width, height: r.image.height, tiles: r.tiles, milliseconds: performance.now() - t0, expertUsage: r.expertCounts.map((l) => { const t = l.reduce((a, b) => a + b, 0); return l.map((c) => c / t); }) });
  } finally {
    net.dispose();
  }
}

const commands: Record<string, (args: string[]) => Promise<void>> = { synthesize, train, eval: evaluate, restore };
const [command, ...rest] = process.argv.slice(2);
if (!command || !commands[command]) {
  process.stderr.write(`usage: deweather <${Object.keys(commands).join('|')}> [flags] (see the header of apps/deweather/src/cli.ts)\n`);
  process.exit(2);
}
try {
  if (command !== 'synthesize') process.stderr.write(`${(await selectBackend()).summary}\n`);
  await commands[command](rest);
} catch (e) {
  process.stderr.write(`deweather ${command}: ${(e as Error).message}\n`);
  process.exit(1);
}
