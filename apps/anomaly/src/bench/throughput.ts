import type { AnomalyModel } from '../model/anomaly-model.js';
import { StreamScorer } from '../stream/stream-scorer.js';
import { DEFAULT_ALERT_POLICY } from '../stream/alert-tracker.js';

export interface StreamingThroughput {
  cameras: number;
  snippetsPerCamera: number;
  /** Snippets per second when every camera's next snippet is scored in one call (a batch across cameras). */
  batchedSnippetsPerSecond: number;
  /** One snippet per call, as the worker scores them: mean and p95 milliseconds per snippet. */
  singleLatencyMsMean: number;
  singleLatencyMsP95: number;
}

/** Streaming scoring speed of `model` on random features (the cost does not depend on their values). */
export async function measureStreamingThroughput(model: AnomalyModel, classes: readonly string[], cameras = 64, snippetsPerCamera = 40): Promise<StreamingThroughput> {
  const dim = model.config.inputDim;
  const features = () => Array.from({ length: dim }, () => Math.random() * 2 - 1);
  const batched = new StreamScorer(model, classes, DEFAULT_ALERT_POLICY);
  await batched.scoreMany(Array.from({ length: cameras }, (_, c) => ({ camera: `warm-${c}`, snippet: 0, features: features() })));
  const t0 = performance.now();
  for (let s = 0; s < snippetsPerCamera; s++) {
    await batched.scoreMany(Array.from({ length: cameras }, (_, c) => ({ camera: `cam-${c}`, snippet: s, features: features() })));
  }
  const batchedSeconds = (performance.now() - t0) / 1000;
  const single = new StreamScorer(model, classes, DEFAULT_ALERT_POLICY);
  const latencies: number[] = [];
  for (let s = 0; s < 5; s++) await single.score('warm', s, features());
  for (let s = 0; s < 200; s++) {
    const t = performance.now();
    await single.score('cam', s, features());
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  return {
    cameras,
    snippetsPerCamera,
    batchedSnippetsPerSecond: (cameras * snippetsPerCamera) / batchedSeconds,
    singleLatencyMsMean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    singleLatencyMsP95: latencies[Math.floor(0.95 * latencies.length)],
  };
}
