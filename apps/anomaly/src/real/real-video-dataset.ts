import { childSeed } from '@moe/runtime';
import type { SnippetVideo, VideoDataset } from '../data/video.js';
import { clipSnippetFeatures } from './clip-features.js';
import { decodeGreyFrames } from './ffmpeg-frames.js';
import { FRAME_ANOMALIES, insertAnomaly, type FloatFrames } from './frame-anomalies.js';
import { FrozenConvBackbone } from './frozen-backbone.js';
import { DEFAULT_FRAME_FEATURES, type FrameFeatureConfig } from './video-file-features.js';

export interface RealVideoOptions {
  /** Frame size, snippet length and backbone (the camera's 768×576 scaled down). */
  features: FrameFeatureConfig;
  /** Frames per clip ("video") and the step between clip starts. */
  clipFrames: number;
  clipStride: number;
  /** Clips starting before this share of the video are training clips, the rest test clips (no overlap in time is allowed across the border). */
  trainShare: number;
  seed: number;
}

export const DEFAULT_REAL_VIDEO_OPTIONS: RealVideoOptions = { features: DEFAULT_FRAME_FEATURES, clipFrames: 48, clipStride: 12, trainShare: 0.6, seed: 1 };

/**
 * The real-pixel path: a real surveillance video (opencv-doc's vtest.avi, a static campus camera) decoded by
 * ffmpeg, cut into overlapping clips, every other clip given an inserted anomaly (occlusion, camera shake or a
 * fast object, cycling) over a random run of snippets, then turned into snippet features by the frozen
 * backbone. Training clips come from the first `trainShare` of the video and test clips from after it, so no
 * test frame is ever seen in training.
 */
export async function buildRealVideoDataset(path: string, options: RealVideoOptions = DEFAULT_REAL_VIDEO_OPTIONS): Promise<{ train: VideoDataset; test: VideoDataset; backbone: string; frames: number }> {
  const { features: f } = options;
  const decoded = await decodeGreyFrames(path, { width: f.width, height: f.height });
  const { width: w, height: h } = decoded;
  const backbone = new FrozenConvBackbone({ channels: f.backboneChannels, seed: f.backboneSeed });
  const classes = ['normal', ...FRAME_ANOMALIES];
  const snippetsPerClip = Math.floor(options.clipFrames / f.framesPerSnippet);
  const border = Math.floor(decoded.frames * options.trainShare);
  const train: SnippetVideo[] = [];
  const test: SnippetVideo[] = [];
  try {
    for (let start = 0, i = 0; start + options.clipFrames <= decoded.frames; start += options.clipStride, i++) {
      const inTrain = start + options.clipFrames <= border;
      if (!inTrain && start < border) continue; // straddles the border
      const data = new Float32Array(options.clipFrames * w * h);
      for (let k = 0; k < data.length; k++) data[k] = decoded.data[start * w * h + k] / 255;
      const clip: FloatFrames = { width: w, height: h, frames: options.clipFrames, data };
      const truth = new Uint8Array(snippetsPerClip);
      let classIndex = 0;
      if (i % 2 === 1) {
        classIndex = 1 + ((i >> 1) % FRAME_ANOMALIES.length);
        const seed = childSeed(options.seed, `clip:${i}`);
        const length = 2 + (seed % 2); // 2–3 snippets
        const first = seed % (snippetsPerClip - length + 1);
        insertAnomaly(clip, FRAME_ANOMALIES[classIndex - 1], first * f.framesPerSnippet, (first + length) * f.framesPerSnippet, seed);
        truth.fill(1, first, first + length);
      }
      const { features, snippets, dim } = await clipSnippetFeatures(clip, backbone, f.framesPerSnippet);
      const video: SnippetVideo = { name: `vtest-${start}`, features, length: snippets, dim, label: classIndex > 0 ? 1 : 0, classIndex, truth };
      (inTrain ? train : test).push(video);
    }
  } finally {
    backbone.dispose();
  }
  const dim = 2 * backbone.outputDim;
  return { train: { dim, classes, videos: train }, test: { dim, classes, videos: test }, backbone: 'frozen random-weight 2-layer CNN (not pretrained)', frames: decoded.frames };
}
