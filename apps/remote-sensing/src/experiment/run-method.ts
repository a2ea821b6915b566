import { modelFromArtifact, type BackboneArtifact } from '../artifact/backbone-artifact.js';
import type { SegmentationScores } from '../eval/confusion.js';
import { evaluateSegmentation } from '../eval/evaluate.js';
import { DEFAULT_CUTOFF, REFERENCE_ADAPTER_DIM } from '../model/default-config.js';
import { addedParams, sizeForBudget } from '../model/methods/equal-budget.js';
import type { MethodKind } from '../model/methods/method-kind.js';
import type { ParameterCounts, SegmentationModel } from '../model/segmentation-model.js';
import { fineTune, restoreWeights, type AdaptationMode, type FineTuneStep } from '../train/fine-tune.js';
import type { BenchmarkData } from './benchmark-data.js';

/** Training settings shared by every method (no per-method or per-target tuning; vision.md §6.2). */
export interface TrainingProtocol {
  steps: number;
  batchSize: number;
  learningRate: number;
  evalEvery: number;
}

export const DEFAULT_PROTOCOL: TrainingProtocol = { steps: 80, batchSize: 4, learningRate: 1e-3, evalEvery: 20 };

export interface MethodRun {
  method: MethodKind;
  mode: AdaptationMode;
  seed: number;
  size: number;
  counts: ParameterCounts;
  bestStep: number;
  bestValidationMiou: number;
  /** Test scores with the weights chosen on validation (reported) and with the final-step weights. */
  test: SegmentationScores;
  testFinal: SegmentationScores;
  secondsPerStep: number;
}

/** The size that gives `kind` Earth-Adapter's added-parameter budget on this backbone. */
export function methodSize(kind: MethodKind, model: { embedDim: number; depth: number; mlpRatio: number }): number {
  const shape = { channels: model.embedDim, depth: model.depth, mlpRatio: model.mlpRatio };
  if (kind === 'earth-adapter') return REFERENCE_ADAPTER_DIM;
  return sizeForBudget(kind, addedParams('earth-adapter', REFERENCE_ADAPTER_DIM, shape), shape);
}

export function buildMethodModel(artifact: BackboneArtifact, kind: MethodKind, seed: number): SegmentationModel {
  const b = artifact.config.backbone;
  const size = methodSize(kind, { embedDim: b.embedDim, depth: b.depth, mlpRatio: b.mlpRatio ?? 4 });
  return modelFromArtifact(artifact, { kind, size, cutoff: DEFAULT_CUTOFF, seed });
}

/** Trains one method from the artifact, selects on validation, tests once with best and final weights. */
export async function runMethod(artifact: BackboneArtifact, data: BenchmarkData, kind: MethodKind, mode: AdaptationMode, seed: number, protocol: TrainingProtocol, onStep?: (e: FineTuneStep) => void): Promise<{ run: MethodRun; model: SegmentationModel }> {
  const model = buildMethodModel(artifact, kind, seed);
  const result = await fineTune(model, { source: data.source, target: data.target, validation: data.validation }, { mode, seed, ...protocol, onStep });
  const testFinal = await evaluateSegmentation(model, data.test);
  restoreWeights(model, result.bestWeights);
  const test = await evaluateSegmentation(model, data.test);
  return {
    run: { method: kind, mode, seed, size: model.method.size, counts: model.parameterCounts(), bestStep: result.bestStep, bestValidationMiou: result.bestValidationMiou, test, testFinal, secondsPerStep: result.secondsPerStep },
    model,
  };
}
