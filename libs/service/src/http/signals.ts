import type { Service } from './create-service.js';

/**
 * Closes the service gracefully on SIGINT/SIGTERM; a second signal exits at once. `after` runs once the
 * service stopped (close the database there), then the process exits with 0.
 */
export function closeOnSignals(service: Service, after?: () => Promise<void> | void): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      service.logger.warn({ signal }, 'second signal: exiting without draining');
      process.exit(1);
    }
    stopping = true;
    service.logger.info({ signal }, 'shutting down: draining in-flight requests');
    void service
      .close()
      .then(() => after?.())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          service.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
