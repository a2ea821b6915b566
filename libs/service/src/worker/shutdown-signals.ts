import type { WorkerLogger } from './worker.js';

interface Stoppable {
  stop(): Promise<unknown>;
}

/**
 * Stops the worker gracefully on SIGTERM/SIGINT: reading stops, what was read is committed and acknowledged,
 * the source closes, then `onStopped` runs (default: exit 0, or 1 if the final commit failed). A second signal
 * while stopping exits at once with 130, for an operator who does not want to wait.
 * Returns a function that removes the handlers.
 */
export function stopOnSignals(
  worker: Stoppable,
  options: { signals?: readonly NodeJS.Signals[]; logger?: WorkerLogger; onStopped?: (error?: unknown) => void } = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onStopped = options.onStopped ?? ((error?: unknown) => process.exit(error === undefined ? 0 : 1));
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      options.logger?.warn({ signal }, 'second signal while stopping: exiting now');
      process.exit(130);
    }
    stopping = true;
    options.logger?.info({ signal }, 'signal received: finishing the current batch');
    worker.stop().then(
      () => onStopped(),
      (error: unknown) => {
        options.logger?.error({ err: error }, 'graceful stop failed');
        onStopped(error);
      },
    );
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
