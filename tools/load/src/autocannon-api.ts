import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

// autocannon 8 ships no type declarations: these are the parts of its API this package uses, and the
// module is loaded through require so that the types stay local instead of an ambient declaration.

export interface AutocannonOptions {
  url: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  duration?: number;
  overallRate?: number;
  timeout?: number;
}

export interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}

export interface AutocannonInstance extends EventEmitter {
  on(event: 'response', listener: (client: EventEmitter, statusCode: number, resBytes: number, responseTimeMs: number) => void): this;
  on(event: string, listener: (...args: unknown[]) => void): this;
  stop(): void;
}

export type Autocannon = (options: AutocannonOptions, callback: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
