import { Worker } from 'node:worker_threads';
import { getBackendSelection } from '@moe/runtime';
import type { TrainingThreadInput, TrainingThreadMessage } from './training-thread-protocol.js';

type Done = Extract<TrainingThreadMessage, { type: 'done' }>;
type Progress = Exclude<TrainingThreadMessage, { type: 'done' | 'error' }>;

/** A training job on a worker thread: progress arrives as messages, so the main thread keeps serving. */
export interface ThreadedTraining {
  result: Promise<Done>;
  /** Stops the thread; `result` rejects with `reason`. */
  cancel(reason: string): Promise<void>;
}

/**
 * Starts `training-thread` with the run's config: through `training-thread-bootstrap.mjs` (which registers
 * tsx) when this module runs from TypeScript sources, else the compiled `training-thread.js`.
 */
export function runTrainingInThread(input: Omit<TrainingThreadInput, 'backend'>, onProgress: (m: Progress) => void): ThreadedTraining {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './training-thread-bootstrap.mjs' : './training-thread.js', import.meta.url);
  const backend = process.env.MOE_BACKEND ?? getBackendSelection()?.backend ?? 'wasm';
  const worker = new Worker(entry, {
    workerData: { ...input, backend } satisfies TrainingThreadInput,
    // From sources, sibling packages must resolve to their src/ as in the parent; compiled, the thread inherits the parent's flags.
    ...(fromSource ? { execArgv: ['--conditions=@moe/source'] } : {}),
  });
  let cancelled: string | undefined;
  const result = new Promise<Done>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    worker.on('message', (m: TrainingThreadMessage) => {
      if (m.type === 'done') settle(() => resolve(m));
      else if (m.type === 'error') settle(() => reject(new Error(m.message)));
      else onProgress(m);
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(cancelled !== undefined ? `cancelled: ${cancelled}` : `training thread exited with code ${code} before finishing`))));
  });
  result.catch(() => undefined).finally(() => void worker.terminate());
  return {
    result,
    async cancel(reason) {
      cancelled = reason;
      await worker.terminate();
    },
  };
}
