import { z } from 'zod';

/** Response shapes, for the OpenAPI document and the docs page only (responses are not validated). */
const metrics = z.object({ instances: z.number(), accuracy: z.number(), kappa: z.number(), kappaM: z.number(), kappaT: z.number() });

const driftEvent = z.object({ position: z.number(), detector: z.string(), kind: z.literal('drift'), details: z.record(z.string(), z.union([z.number(), z.string()])) });

export const createdStreamResponse = z.object({ id: z.string(), method: z.string(), attributes: z.number(), classes: z.array(z.string()) });

export const predictResponse = z.object({ predictions: z.array(z.string().nullable()), classIndices: z.array(z.number()) });

export const learnResponse = z.object({
  predictions: z.array(z.string().nullable()).describe('made before each instance was learnt'),
  batchAccuracy: z.number(),
  accuracy: z.number().describe('over every instance this learner has learnt'),
  windowAccuracy: z.number(),
  kappa: z.number(),
  instancesSeen: z.number(),
  driftEvents: z.array(driftEvent),
});

export const statusResponse = z.object({
  id: z.string(),
  method: z.string(),
  instancesSeen: z.number(),
  accuracy: z.number(),
  createdAt: z.string(),
  restoredFrom: z.number().optional(),
  evaluated: z.object({ cumulative: metrics, window: metrics }),
  expertUsage: z.object({ counts: z.array(z.number()), share: z.array(z.number()) }),
  driftDetections: z.object({ count: z.number(), positions: z.array(z.number()), recent: z.array(driftEvent) }),
});

export const snapshotResponse = z.object({
  snapshotId: z.number(),
  stream: z.string(),
  version: z.number(),
  method: z.string(),
  sha256: z.string(),
  bytes: z.number().optional(),
  instancesSeen: z.number(),
  createdAt: z.string(),
});
