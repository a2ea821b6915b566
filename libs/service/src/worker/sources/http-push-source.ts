import type { IncomingMessage, ServerResponse } from 'node:http';
import { AsyncSignal, raceAbort } from '../async-signal.js';
import type { EventSource, SourceRecord } from '../types.js';

export interface HttpPushSourceOptions {
  /** Stream name. Default `push`. */
  name?: string;
  consumer?: string;
  /** Most events held at once (accepted but not yet committed); a push that would exceed it gets 429. Default 1000. */
  capacity?: number;
  /** Largest request body in bytes; larger gets 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

interface PendingPush {
  remaining: number;
  resolve(): void;
  reject(status: number, code: string, message: string): void;
}

/**
 * Events pushed over HTTP: `POST` a JSON array of events (or `{"events": [...]}`) to `source.handler`, mounted
 * on any Node or express server. The answer comes once the events are committed (200 `{accepted}`), so a client
 * that gets no answer retries, and event ids make the retry harmless. Back-pressure: a push that would hold more
 * than `capacity` events gets 429 with Retry-After; pushes while the worker stops get 503.
 */
export class HttpPushSource implements EventSource {
  readonly name: string;
  readonly consumer: string;
  readonly capacity: number;
  private readonly maxBodyBytes: number;
  private readonly queue: SourceRecord[] = [];
  private readonly owners = new Map<string, PendingPush>();
  private readonly arrived = new AsyncSignal();
  private held = 0;
  private seq = 0;
  private open_ = false;
  private readonly run = `${Date.now().toString(36)}-${process.pid}`;

  constructor(options: HttpPushSourceOptions = {}) {
    this.name = options.name ?? 'push';
    this.consumer = options.consumer ?? 'default';
    this.capacity = options.capacity ?? 1000;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new Error(`HttpPushSource capacity: expected a positive integer, got ${this.capacity}`);
  }

  /** Events accepted and not yet committed. */
  get inFlight(): number {
    return this.held;
  }

  async open(): Promise<void> {
    this.open_ = true;
  }

  async read(max: number, signal: AbortSignal): Promise<SourceRecord[] | null> {
    if (this.queue.length === 0) await raceAbort(this.arrived.wait(200), signal);
    return this.queue.splice(0, max);
  }

  async ack(records: readonly SourceRecord[]): Promise<void> {
    for (const r of records) {
      const owner = this.owners.get(r.deliveryId);
      if (!owner) continue;
      this.owners.delete(r.deliveryId);
      this.held--;
      if (--owner.remaining === 0) owner.resolve();
    }
  }

  /** Pushes whose events were never read are answered 503: nothing of them was committed, the client retries. */
  async close(): Promise<void> {
    this.open_ = false;
    const unread = this.queue.splice(0);
    for (const r of unread) {
      const owner = this.owners.get(r.deliveryId);
      this.owners.delete(r.deliveryId);
      this.held--;
      owner?.reject(503, 'worker_stopping', 'the worker stopped before these events were applied; retry');
    }
    // Records read but never acknowledged (the worker failed before committing them): nothing of them was
    // committed either, so their pushes are answered the same way instead of waiting forever.
    for (const owner of new Set(this.owners.values())) owner.reject(503, 'worker_stopping', 'the worker stopped before these events were committed; retry');
    this.owners.clear();
    this.held = 0;
  }

  /** The request handler: `app.post('/events', source.handler)` or `http.createServer(source.handler)`. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    // A client that disconnects mid-body makes reading it throw: answer (or drop) that request, never let the
    // rejection escape and take the worker process down.
    this.handle(req, res).catch((e: unknown) => {
      if (res.headersSent) res.destroy();
      else send(res, 400, error('body_unreadable', `body: could not be read (${e instanceof Error ? e.message : String(e)})`, []));
    });
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, error('method_not_allowed', `expected POST, got ${req.method}`, []));
    if (!this.open_) return send(res, 503, error('worker_not_running', 'the worker is not consuming pushes now; retry later', []));
    // Behind express.json() the body is already parsed; on a bare server it is read here.
    let parsed = (req as IncomingMessage & { body?: unknown }).body;
    if (parsed === undefined) {
      const body = await readBody(req, this.maxBodyBytes);
      if (body === 'too-large') return send(res, 413, error('body_too_large', `expected a body of at most ${this.maxBodyBytes} bytes`, []));
      try {
        parsed = JSON.parse(body);
      } catch (e) {
        return send(res, 400, error('invalid_json', `body: expected JSON, got a parse error (${(e as Error).message})`, []));
      }
    }
    const events = Array.isArray(parsed) ? parsed : (parsed as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) {
      return send(res, 400, error('invalid_body', `body: expected an array of events or {"events": [...]}, got ${parsed === null ? 'null' : typeof parsed}`, Array.isArray(parsed) ? [] : ['events']));
    }
    if (events.length === 0) return send(res, 200, { accepted: 0 });
    if (events.length > this.capacity) {
      return send(res, 413, error('batch_too_large', `events: expected at most ${this.capacity} events in one push, got ${events.length}`, ['events']));
    }
    if (this.held + events.length > this.capacity) {
      res.setHeader('Retry-After', '1');
      return send(res, 429, error('backpressure', `the worker holds ${this.held} of ${this.capacity} events; retry later`, []));
    }
    const done = new Promise<void>((resolve, reject) => {
      const owner: PendingPush = {
        remaining: events.length,
        resolve,
        reject: (status, code, message) => reject(Object.assign(new Error(message), { status, code })),
      };
      for (const value of events) {
        const id = `${this.name}:${this.run}:${++this.seq}`;
        this.owners.set(id, owner);
        this.queue.push({ deliveryId: id, origin: `${this.name}#${this.seq}`, value });
      }
    });
    this.held += events.length;
    this.arrived.notify();
    try {
      await done;
      send(res, 200, { accepted: events.length });
    } catch (e) {
      const { status, code, message } = e as Error & { status: number; code: string };
      send(res, status, error(code, message, []));
    }
  }
}

function error(code: string, message: string, path: (string | number)[]): { error: { code: string; message: string; path: (string | number)[] } } {
  return { error: { code, message, path } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

/**
 * The body as text, or 'too-large' once it passes the limit. The rest is drained without being stored: leaving
 * the loop early would destroy the socket before the 413 is written.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? 'too-large' : Buffer.concat(chunks).toString('utf8');
}
