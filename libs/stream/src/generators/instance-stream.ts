import type { Instance, Schema } from '../schema.js';

/** A (possibly infinite) source of labelled instances, pulled one at a time. */
export interface InstanceStream {
  readonly schema: Schema;
  nextInstance(): Instance;
}

/** A generator that can be rebuilt from its options; `restart()` returns it to its first instance. */
export interface RestartableStream extends InstanceStream {
  restart(): void;
}
