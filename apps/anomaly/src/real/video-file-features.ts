import { clipSnippetFeatures } from './clip-features.js';
import { decodeGreyFrames } from './ffmpeg-frames.js';
import { FrozenConvBackbone } from './frozen-backbone.js';

/** How frames become snippet features; saved with a model trained on them so scoring computes the same ones. */
export interface FrameFeatureConfig {
  width: number;
  height: number;
  framesPerSnippet: number;
  backboneChannels: [number, number];
  backboneSeed: number;
}

export const DEFAULT_FRAME_FEATURES: FrameFeatureConfig = { width: 64, height: 48, framesPerSnippet: 8, backboneChannels: [8, 16], backboneSeed: 1 };

/** Snippet features of a whole video file (decoded by ffmpeg, at most `maxFrames` frames). */
export async function videoFileFeatures(path: string, config: FrameFeatureConfig, maxFrames: number): Promise<{ features: Float32Array; snippets: number; dim: number; frames: number }> {
  const decoded = await decodeGreyFrames(path, { width: config.width, height: config.height, maxFrames });
  const data = new Float32Array(decoded.data.length);
  for (let i = 0; i < data.length; i++) data[i] = decoded.data[i] / 255;
  const backbone = new FrozenConvBackbone({ channels: config.backboneChannels, seed: config.backboneSeed });
  try {
    return { ...(await clipSnippetFeatures({ width: decoded.width, height: decoded.height, frames: decoded.frames, data }, backbone, config.framesPerSnippet)), frames: decoded.frames };
  } finally {
    backbone.dispose();
  }
}
