import { mkdir } from 'node:fs/promises';
import type { JsonValue } from '@moe/runtime';
import { join } from 'node:path';
import { createRasterImage, writeImage } from '@moe/vision';
import { defaultBackboneDir, disposeArtifact, loadBackboneArtifact, saveBackboneArtifact } from './artifact/backbone-artifact.js';
import { generateTiles } from './data/generate-tiles.js';
import { loadSceneTextures } from './data/load-textures.js';
import { SCENE_CLASS_NAMES } from './data/scene-classes.js';
import { sceneDomain } from './data/scene-domains.js';
import { evaluateSegmentation } from './eval/evaluate.js';
import { buildBenchmarkData, DEFAULT_SPLITS, DEFAULT_TARGET_DOMAIN } from './experiment/benchmark-data.js';
import { buildMethodModel, DEFAULT_PROTOCOL, runMethod } from './experiment/run-method.js';
import { checkMethodKind } from './model/methods/method-kind.js';
import { DEFAULT_PRETRAIN, pretrainBackbone } from './pretrain/pretrain-backbone.js';
import { labelImage } from './service/label-image.js';
import { saveAdaptedModel, loadAdaptedModel } from './artifact/adapted-model.js';
import { segmentFile } from './service/segment-image.js';

export const CLI_COMMANDS = ['generate', 'pretrain', 'adapt', 'eval', 'segment'] as const;
export type CliCommand = (typeof CLI_COMMANDS)[number];
type Progress = (label: string) => (done: number, total: number, info?: Record<string, number | string>) => void;
type Args = Record<string, string | boolean | undefined>;

function intArg(args: Args, name: string, fallback: number): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer; got '${String(raw)}'`);
  return n;
}

function stringArg(args: Args, name: string, fallback?: string): string {
  const raw = args[name];
  if (typeof raw === 'string' && raw.length > 0) return raw;
  if (fallback !== undefined) return fallback;
  throw new Error(`--${name} is required`);
}

export async function runCliCommand(command: CliCommand, args: Args, progress: Progress): Promise<Record<string, unknown>> {
  switch (command) {
    case 'generate': {
      const domain = stringArg(args, 'domain', 'rgb-urban');
      sceneDomain('generate', domain);
      const count = intArg(args, 'count', 8);
      const out = stringArg(args, 'out');
      const { textures } = await loadSceneTextures();
      const set = generateTiles(domain, 'train', count, 64, intArg(args, 'seed', 1), textures);
      await mkdir(out, { recursive: true });
      const bar = progress('generate');
      const px = set.size * set.size;
      for (let t = 0; t < count; t++) {
        await writeImage(join(out, `tile-${t}.png`), createRasterImage(set.size, set.size, 3, set.images.slice(t * px * 3, (t + 1) * px * 3)));
        await writeImage(join(out, `tile-${t}-labels.png`), labelImage(set.labels!.subarray(t * px, (t + 1) * px), set.size, set.size));
        bar(t + 1, count);
      }
      return { domain, count, out, classes: SCENE_CLASS_NAMES };
    }
    case 'pretrain': {
      const out = stringArg(args, 'out', defaultBackboneDir());
      const bar = progress('pretrain');
      const steps = intArg(args, 'steps', DEFAULT_PRETRAIN.steps);
      const { model, record } = await pretrainBackbone({ ...DEFAULT_PRETRAIN, steps, onStep: (e) => bar(e.step, e.steps, { seg: e.segLoss, recon: e.reconLoss }) });
      await saveBackboneArtifact(out, model, [...SCENE_CLASS_NAMES], record);
      const counts = model.parameterCounts();
      model.dispose();
      return { out, record, parameters: { backbone: counts.backbone, head: counts.head } };
    }
    case 'adapt': {
      const method = checkMethodKind('option', '--method', stringArg(args, 'method', 'earth-adapter'));
      const mode = stringArg(args, 'mode', 'da');
      if (mode !== 'da' && mode !== 'dg') throw new Error(`--mode must be 'da' or 'dg'; got '${mode}'`);
      const artifact = await loadBackboneArtifact(typeof args.model === 'string' ? args.model : undefined);
      const { textures } = await loadSceneTextures();
      const data = buildBenchmarkData(DEFAULT_SPLITS, textures);
      const protocol = { ...DEFAULT_PROTOCOL, steps: intArg(args, 'steps', DEFAULT_PROTOCOL.steps) };
      const bar = progress(`adapt ${method} ${mode}`);
      const { run, model } = await runMethod(artifact, data, method, mode, intArg(args, 'seed', 1), protocol, (e) => bar(e.step, e.steps, { loss: e.loss, ...(e.validationMiou !== undefined ? { valMiou: e.validationMiou } : {}) }));
      const out = typeof args.out === 'string' ? args.out : undefined;
      // JSON round trip: NaN IoUs of classes absent from the test tiles become null (checkpoint metadata is strict JSON).
      if (out) await saveAdaptedModel(out, model, JSON.parse(JSON.stringify({ ...run, artifactSha256: artifact.weightsSha256 })) as { [key: string]: JsonValue });
      model.dispose();
      disposeArtifact(artifact);
      return { run, ...(out ? { out } : {}) };
    }
    case 'eval': {
      const { textures } = await loadSceneTextures();
      const domain = stringArg(args, 'domain', DEFAULT_TARGET_DOMAIN);
      const set = generateTiles(domain, 'test', intArg(args, 'count', DEFAULT_SPLITS.testTiles), 64, DEFAULT_SPLITS.dataSeed, textures);
      const model = typeof args.model === 'string' ? await loadAdaptedModel(args.model) : await (async () => {
        const artifact = await loadBackboneArtifact();
        const m = buildMethodModel(artifact, 'head-only', 0);
        disposeArtifact(artifact);
        return m;
      })();
      const scores = await evaluateSegmentation(model, set);
      const method = model.method.kind;
      model.dispose();
      return { domain, tiles: set.count, method, miou: scores.miou, pixelAccuracy: scores.pixelAccuracy, iou: Object.fromEntries(SCENE_CLASS_NAMES.map((n, i) => [n, scores.iou[i]])) };
    }
    case 'segment': {
      const input = stringArg(args, 'input');
      const out = stringArg(args, 'out');
      const model = typeof args.model === 'string' ? await loadAdaptedModel(args.model) : await (async () => {
        const artifact = await loadBackboneArtifact();
        const m = buildMethodModel(artifact, 'head-only', 0);
        disposeArtifact(artifact);
        return m;
      })();
      const result = await segmentFile(model, input, out);
      model.dispose();
      return result;
    }
  }
}
