/**
 * One video as the models see it: T snippet feature rows of D numbers (I3D-style, one row per 16-frame
 * snippet), a video-level label for training and, for test videos, snippet-level ground truth.
 */
export interface SnippetVideo {
  /** Stable name (a file name without extension, or `synthetic-<split>-<i>`). */
  readonly name: string;
  /** Row-major [T, D]. */
  readonly features: Float32Array;
  readonly length: number;
  readonly dim: number;
  /** 0 = normal video, 1 = the video contains an anomaly somewhere (all weak supervision sees). */
  readonly label: 0 | 1;
  /** Index into the dataset's class list; 0 is "normal". Used only by the class-aware methods. */
  readonly classIndex: number;
  /** Per-snippet truth (1 = anomalous snippet), when known (test and validation splits). */
  readonly truth?: Uint8Array;
}

/** A set of videos sharing a feature dimension and a class list (`classes[0]` is the normal class). */
export interface VideoDataset {
  readonly dim: number;
  readonly classes: readonly string[];
  readonly videos: readonly SnippetVideo[];
}

/** Throws naming `what` when a video is not a consistent [T, D] block with matching truth. */
export function checkVideo(video: SnippetVideo, what: string): void {
  if (!Number.isInteger(video.length) || video.length < 1) throw new RangeError(`${what}.length: expected a positive integer, got ${video.length}`);
  if (!Number.isInteger(video.dim) || video.dim < 1) throw new RangeError(`${what}.dim: expected a positive integer, got ${video.dim}`);
  if (video.features.length !== video.length * video.dim) {
    throw new RangeError(`${what}.features: expected ${video.length}×${video.dim} = ${video.length * video.dim} values, got ${video.features.length}`);
  }
  if (video.truth !== undefined && video.truth.length !== video.length) {
    throw new RangeError(`${what}.truth: expected ${video.length} snippet labels, got ${video.truth.length}`);
  }
  for (let i = 0; i < video.features.length; i++) {
    if (!Number.isFinite(video.features[i])) throw new RangeError(`${what}.features[${Math.floor(i / video.dim)}][${i % video.dim}]: expected a finite number, got ${video.features[i]}`);
  }
}
