import type { AppModule } from '@moe/service';
import { createDeweatherApp } from './service/deweather-app.js';

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got '${v}'`);
  return n;
}

/**
 * The deweather app as the suite mounts it (`/api/deweather`), configured from the environment:
 * DEWEATHER_ARTIFACTS_DIR (default `deweather-models/` beside the database), DEWEATHER_MAX_UPLOAD_BYTES
 * (8 MiB), DEWEATHER_MAX_PIXELS (1024²), DEWEATHER_BOOTSTRAP=0 (no training at start without a default model).
 */
export const deweatherApp: AppModule = createDeweatherApp({
  ...(process.env.DEWEATHER_ARTIFACTS_DIR ? { artifactsDir: process.env.DEWEATHER_ARTIFACTS_DIR } : {}),
  ...(envInt('DEWEATHER_MAX_UPLOAD_BYTES') !== undefined ? { maxUploadBytes: envInt('DEWEATHER_MAX_UPLOAD_BYTES') } : {}),
  ...(envInt('DEWEATHER_MAX_PIXELS') !== undefined ? { maxPixels: envInt('DEWEATHER_MAX_PIXELS') } : {}),
  bootstrap: process.env.DEWEATHER_BOOTSTRAP !== '0',
}).module;
