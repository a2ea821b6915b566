import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineRoute, HttpError, type RouteDefinition } from '@moe/service';
import { scoreVideos } from '../eval/score-videos.js';
import { videoFileFeatures } from '../real/video-file-features.js';
import type { AnomalyContext } from './anomaly-context.js';
import { scoreResponse } from './score-route.js';

export const CLIP_CONTENT_TYPES = ['video/x-msvideo', 'video/avi', 'video/mp4', 'video/webm', 'video/quicktime', 'video/x-matroska'];

/**
 * `POST /api/anomaly/score-clip`: a short video file (binary body) → ffmpeg frames → the clip model's frozen
 * backbone features → per-snippet scores. The clip model was trained on vtest.avi with inserted anomalies
 * (src/real), so its scores mean "occlusion / shake / fast object", not the synthetic classes.
 */
export function clipRoutes(ctx: AnomalyContext): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/score-clip',
      summary: 'Score an uploaded short clip: frames decoded by ffmpeg, frozen-backbone snippet features, per-snippet scores',
      auth: false, // read-only
      upload: { contentTypes: CLIP_CONTENT_TYPES, maxBytes: ctx.maxClipBytes },
      response: scoreResponse,
      handler: async ({ upload, metrics }) => {
        const loaded = await ctx.clipModel();
        const frameConfig = loaded.config.frameFeatures!;
        const dir = await mkdtemp(join(tmpdir(), 'anomaly-clip-'));
        try {
          const path = join(dir, 'clip');
          await writeFile(path, upload!.bytes);
          const t0 = performance.now();
          let extracted;
          try {
            extracted = await videoFileFeatures(path, frameConfig, ctx.maxClipFrames);
          } catch (e) {
            const message = (e as Error).message;
            if (/ffmpeg not found/.test(message)) throw new HttpError('unavailable', message);
            if (/at least/.test(message)) throw new HttpError('invalid_request', `body: the clip has too few frames: ${message}`, { path: 'body' });
            throw new HttpError('unsupported_media_type', `body: not a decodable video (${message.replace(path, 'upload').slice(0, 200)})`, { path: 'body' });
          }
          const [scored] = await scoreVideos(loaded.model, [{ name: 'clip', features: extracted.features, length: extracted.snippets, dim: extracted.dim, label: 0, classIndex: 0 }]);
          metrics.observeInference({ app: 'anomaly', model: `clip-${loaded.config.model.method}` }, (performance.now() - t0) / 1000);
          const threshold = loaded.config.alert.threshold;
          const scores = Array.from(scored.scores);
          return {
            method: loaded.config.model.method,
            snippets: scores.length,
            frames: extracted.frames,
            framesPerSnippet: frameConfig.framesPerSnippet,
            scores,
            expert: Array.from(scored.topExpert, (e) => (e > 0 ? (loaded.config.classes[e] ?? `class-${e}`) : 'anomaly')),
            classes: loaded.config.classes.slice(1),
            alertThreshold: threshold,
            aboveThreshold: scores.flatMap((s, i) => (s >= threshold ? [i] : [])),
          };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    }),
  ];
}
