import * as tf from '@tensorflow/tfjs-core';
import { selectRows, type EncodedBatch } from '../features/encoded-batch.js';
import { chainProbabilities, disposeInputs, type CtrModel } from '../model/ctr-model.js';
import { inferenceContext } from '@moe/core';

export interface Predictions {
  /** Per task [rows]: probability of the task's label (joint for chained tasks, e.g. pCTCVR). */
  probs: Float32Array[];
  /** Per task [rows]: σ(logit) — for a chained task the conditional probability (e.g. pCVR). */
  conditional: Float32Array[];
  /** [rows] routed group (AdaptDHM cluster / domain tower), when the model routes. */
  routes?: Int32Array;
  /** Batch-averaged diagnostics (gate weights per task, expert zero rates), row-weighted over chunks. */
  diagnostics: Record<string, number[]>;
}

/** Runs the model in inference mode over `batch` in chunks of `chunkSize` rows. */
export async function predict(model: CtrModel, batch: EncodedBatch, options: { chunkSize?: number; diagnostics?: boolean } = {}): Promise<Predictions> {
  const chunk = options.chunkSize ?? 4096;
  const T = model.numTasks;
  const probs = Array.from({ length: T }, () => new Float32Array(batch.size));
  const conditional = Array.from({ length: T }, () => new Float32Array(batch.size));
  let routes: Int32Array | undefined;
  const diagSums: Record<string, number[]> = {};
  for (let start = 0; start < batch.size; start += chunk) {
    const n = Math.min(chunk, batch.size - start);
    const part = start === 0 && n === batch.size ? batch : selectRows(batch, Int32Array.from({ length: n }, (_, i) => start + i));
    const { inputs } = model.prepareInputs(part);
    const diagnostics = options.diagnostics ? new Map<string, tf.Tensor>() : undefined;
    // Disposed in the finally, so a failed read-back does not leak the chunk's outputs.
    let outputs: tf.Tensor[] = [];
    try {
      inputs.groups = model.route(inputs, false);
      if (inputs.groups) {
        routes ??= new Int32Array(batch.size);
        routes.set(await inputs.groups.data(), start);
      }
      const [p, c] = tf.tidy(() => {
        const logits = model.forward(inputs, inferenceContext(diagnostics));
        return [chainProbabilities(logits, model.layout.tasks), tf.sigmoid(logits)];
      });
      outputs = [p, c];
      const [pv, cv] = await Promise.all([p.data(), c.data()]);
      for (let i = 0; i < n; i++) {
        for (let t = 0; t < T; t++) {
          probs[t][start + i] = pv[i * T + t];
          conditional[t][start + i] = cv[i * T + t];
        }
      }
      if (diagnostics) {
        for (const [k, v] of diagnostics) {
          // Gate weights come per row [B, E]: reported as the batch mean per expert.
          const mean = v.rank === 2 ? tf.mean(v, 0) : v;
          const values = Array.from(await mean.data());
          if (mean !== v) mean.dispose();
          const acc = (diagSums[k] ??= new Array<number>(values.length).fill(0));
          values.forEach((x, j) => (acc[j] += (x * n) / batch.size));
        }
      }
    } finally {
      tf.dispose(outputs);
      if (diagnostics) tf.dispose([...diagnostics.values()]);
      disposeInputs(inputs);
    }
  }
  return { probs, conditional, routes, diagnostics: diagSums };
}
