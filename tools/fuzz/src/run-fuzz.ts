import http from 'node:http';
import type { OpenApiDocument } from '@moe/service';
import type { FuzzCase } from './fuzz-case.js';
import { mutationsFor } from './mutations.js';
import { operationsOf } from './operations.js';
import { createRng, pick } from './prng.js';
import { rawHttpCases } from './raw-cases.js';
import { sendCase, type FuzzOutcome } from './send.js';

export interface FuzzOptions {
  /** Service root, e.g. http://127.0.0.1:3000 (loopback only). */
  readonly baseUrl: string;
  /** How many malformed requests to send (at least every distinct case once). */
  readonly count: number;
  readonly seed?: number;
  /** Key for mutating routes, so bodies get past auth to validation. */
  readonly apiKey?: string;
  /** The service's body limit, to size the huge-body cases (default 1 MiB). */
  readonly bodyLimitBytes?: number;
  readonly concurrency?: number;
}

/** A case whose answer was not a 4xx JSON error. */
export interface FuzzFailure {
  readonly kind: string;
  readonly description: string;
  readonly status: number;
  readonly detail: string;
}

export interface FuzzReport {
  readonly sent: number;
  readonly distinctCases: number;
  readonly operations: number;
  readonly byKind: Record<string, number>;
  readonly byStatus: Record<string, number>;
  readonly failures: FuzzFailure[];
  /** /healthz answered 200 after the run. */
  readonly aliveAfter: boolean;
  readonly seconds: number;
}

/** 4xx with a JSON `{error: {code, message}}` body: the only acceptable answer to a malformed request. */
function judge(c: FuzzCase, o: FuzzOutcome): FuzzFailure | null {
  const fail = (detail: string): FuzzFailure => ({ kind: c.kind, description: c.description, status: o.status, detail });
  if (o.status === 0) return fail(`no response: ${o.error ?? 'unknown'}`);
  if (o.status < 400 || o.status >= 500) return fail(`status ${o.status}: ${o.body.slice(0, 200)}`);
  if (!/^application\/json/i.test(o.contentType)) return fail(`4xx without JSON (content-type '${o.contentType}'): ${o.body.slice(0, 120)}`);
  try {
    const b = JSON.parse(o.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof b.error?.code !== 'string' || typeof b.error.message !== 'string') return fail(`JSON without error.code/message: ${o.body.slice(0, 120)}`);
    if (/\bat .+:\d+:\d+\)?/.test(o.body)) return fail('error body contains a stack trace');
  } catch {
    return fail(`unparseable JSON: ${o.body.slice(0, 120)}`);
  }
  return null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Reads the service's /openapi.json, derives malformed requests for every operation (plus raw HTTP-level
 * ones), sends `count` of them (each distinct case at least once, the rest drawn at random) and reports
 * every answer that was not a 4xx JSON error.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const base = new URL(options.baseUrl);
  if (!LOOPBACK.has(base.hostname)) throw new Error(`runFuzz(): 'baseUrl' must be on loopback; got host '${base.hostname}'`);
  const started = performance.now();
  const doc = (await (await fetch(new URL('/openapi.json', base))).json()) as OpenApiDocument;
  const ops = operationsOf(doc);
  const ctx = { apiKey: options.apiKey, bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024 };
  const distinct = [...ops.flatMap((op) => mutationsFor(op, ctx)), ...rawHttpCases(base.host)];
  if (distinct.length === 0) throw new Error(`runFuzz(): ${base}openapi.json lists no /api operations to fuzz`);
  const rng = createRng(options.seed ?? 1);
  const plan = [...distinct];
  while (plan.length < options.count) plan.push(pick(rng, distinct));
  // Shuffle so that repeated and distinct cases interleave (state built up by one case meets the next).
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [plan[i], plan[j]] = [plan[j] as FuzzCase, plan[i] as FuzzCase];
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const byKind: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const c = plan[next++] as FuzzCase;
      const o = await sendCase(base, c, agent);
      byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
      byStatus[String(o.status)] = (byStatus[String(o.status)] ?? 0) + 1;
      const f = judge(c, o);
      if (f !== null) failures.push(f);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  agent.destroy();
  let aliveAfter = false;
  try {
    aliveAfter = (await fetch(new URL('/healthz', base))).status === 200;
  } catch {
    aliveAfter = false;
  }
  return { sent: plan.length, distinctCases: distinct.length, operations: ops.length, byKind, byStatus, failures, aliveAfter, seconds: (performance.now() - started) / 1000 };
}
