import type { AppModule } from '@moe/service';
import { createCtrApp } from './service/ctr-app.js';

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got '${v}'`);
  return n;
}

function envRate(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new Error(`${name}: expected a number in [0, 1], got '${v}'`);
  return n;
}

/**
 * The CTR app as the suite mounts it (`/api/ctr`), configured from the environment: CTR_ARTIFACTS_DIR
 * (default `ctr-models/` beside the database), CTR_DATA_DIR (files POST /train may read), CTR_BOOTSTRAP=0
 * (do not train a default model when the registry is empty), CTR_MAX_BATCH (rows per predict, default 1024),
 * CTR_PREDICTION_LOG_RATE (share of predicted rows sampled into the prediction log, default 0.01).
 */
export const ctrApp: AppModule = createCtrApp({
  ...(process.env.CTR_ARTIFACTS_DIR ? { artifactsDir: process.env.CTR_ARTIFACTS_DIR } : {}),
  ...(process.env.CTR_DATA_DIR ? { dataDir: process.env.CTR_DATA_DIR } : {}),
  bootstrap: process.env.CTR_BOOTSTRAP !== '0',
  ...(envInt('CTR_MAX_BATCH') !== undefined ? { maxBatch: envInt('CTR_MAX_BATCH') } : {}),
  ...(envRate('CTR_PREDICTION_LOG_RATE') !== undefined ? { predictionLog: { sampleRate: envRate('CTR_PREDICTION_LOG_RATE')! } } : {}),
}).module;
