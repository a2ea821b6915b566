// @moe/deweather: MoFME image deweathering on the MoE core.
export { DeweatherNet, disposeDeweatherForward, type DeweatherForward } from './model/deweather-net.js';
export { deweatherNetConfigSchema, parseDeweatherNetConfig, type DeweatherNetConfig, type DeweatherNetConfigInput } from './model/deweather-net-config.js';
export { FFN_VARIANTS, isFfnVariant, matchedWidths, createFfnBlock, FfnBlock, MofmeFfnBlock, MoeFfnBlock, DenseFfnBlock, type FfnVariant, type FfnSizes, type FfnForward } from './model/ffn-blocks.js';
export { Conv2d, type Conv2dConfig } from './model/conv2d.js';
export { loadCleanImages, REAL_IMAGE_SPLITS, SPLITS, type CleanImage, type CleanImageOptions, type Split } from './data/clean-images.js';
export { proceduralScene } from './data/procedural-scene.js';
export { makeEvalPairs, gridCrops, TrainPairSampler, toBatchTensor, type WeatherPair } from './data/weather-pairs.js';
export { evaluatePairs, uncertaintyCalibration, type Evaluation, type TypeMetrics } from './eval/evaluate.js';
export { restoreBatch, type RestoredBatch } from './eval/restore-batch.js';
export { restoreImage, type RestoreImageOptions, type RestoredImage } from './eval/restore-image.js';
export { meanStd, auroc, formatMeanStd } from './eval/statistics.js';
export { trainDeweather, type TrainDeweatherOptions, type TrainDeweatherResult } from './train/train-deweather.js';
export { experimentConfigSchema, parseExperimentConfig, type ExperimentConfig, type ExperimentConfigInput } from './experiment/experiment-config.js';
export { runExperiment, prepareExperimentData, type ExperimentData, type ExperimentResult, type RunResult } from './experiment/run-experiment.js';
export { measureExpertCost, type ExpertCostOptions, type ExpertCostRow } from './bench/expert-cost-ratio.js';
export { saveDeweatherArtifact, loadDeweatherArtifact, artifactSha256, type DeweatherArtifact, type DeweatherArtifactMetadata } from './artifact/deweather-artifact.js';
export { createDeweatherApp, type DeweatherApp } from './service/deweather-app.js';
export { DeweatherContext, DEWEATHER_APP, DEFAULT_MODEL_DIR, metadataOf, type DeweatherServiceOptions } from './service/deweather-context.js';
export { trainRequestSchema, type TrainRequest } from './service/train-request.js';
export { ModelSlot } from './service/model-slot.js';

export { deweatherApp, deweatherApp as appModule } from './app-module.js';
