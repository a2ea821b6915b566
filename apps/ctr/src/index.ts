// @moe/ctr: multi-domain CTR prediction on the MoE core.
import { createCtrApp } from './service/ctr-app.js';

export * from './features/feature-config.js';
export { FeatureProcessor, FeatureInputError } from './features/feature-processor.js';
export type { FeatureProcessorState, TransformOptions } from './features/feature-processor.js';
export type { EncodedBatch, EncodedLayout } from './features/encoded-batch.js';
export type { RawRow, RawValue } from './data/raw-row.js';
export { generateSynthetic } from './data/synthetic-generator.js';
export type { SyntheticDataset } from './data/synthetic-generator.js';
export { syntheticConfigSchema, parseSyntheticConfig } from './data/synthetic-config.js';
export type { SyntheticConfig, SyntheticConfigInput } from './data/synthetic-config.js';
export * from './data/readers/index.js';
export { loadRows, dataSourceSchema } from './data/load-rows.js';
export { auc, logloss, gauc, pcoc, ece } from './eval/metrics.js';
export { evaluateTask, gapClosed } from './eval/evaluate.js';
export type { TaskMetrics } from './eval/evaluate.js';
export { createModel } from './model/create-model.js';
export { CtrModel } from './model/ctr-model.js';
export { MODEL_KINDS, modelConfigSchema, parseModelConfig } from './model/model-config.js';
export type { ModelConfig, ModelConfigInput, ModelKind } from './model/model-config.js';
export { EmbeddingTable } from './model/sparse-embedding.js';
export { trainModel, trainStep } from './train/trainer.js';
export type { TrainOptions, TrainResult, EpochReport } from './train/trainer.js';
export { predict } from './train/predict.js';
export { runTraining } from './train/run-training.js';
export { trainConfigSchema, parseTrainConfig } from './train/train-config.js';
export { saveCtrArtifact, loadCtrArtifact } from './artifact/model-artifact.js';
export type { CtrArtifact } from './artifact/model-artifact.js';
export * from './service/index.js';

/**
 * The app as the suite mounts it (`/api/ctr`). Configured from the environment: CTR_ARTIFACTS_DIR (default
 * data/ctr-models), CTR_DATA_DIR (files POST /train may read), CTR_MODEL_PATH (an artefact to serve),
 * CTR_BOOTSTRAP=0 to skip training a small synthetic model when nothing is registered.
 */
export const ctrApp = createCtrApp({
  artifactsDir: process.env.CTR_ARTIFACTS_DIR ?? 'data/ctr-models',
  dataDir: process.env.CTR_DATA_DIR,
  modelPath: process.env.CTR_MODEL_PATH,
  bootstrap: process.env.CTR_BOOTSTRAP !== '0',
}).module;
export { ctrApp as appModule } from './app-module.js';
