import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AuthenticatedKey } from './route.js';

/** Per-request state the middlewares share, kept in `res.locals` (express's place for it). */
export interface RequestState {
  readonly requestId: string;
  readonly log: Logger;
  readonly startedAt: bigint;
  apiKey: AuthenticatedKey | undefined;
  /** Route pattern for metrics labels, set once a route matched. */
  route: string | undefined;
  readonly abort: AbortController;
}

const KEY = 'moeRequestState';

export function requestState(res: Response): RequestState | undefined {
  return res.locals[KEY] as RequestState | undefined;
}

/** A caller-supplied `X-Request-Id` is kept when it is short and plain, so logs correlate across services. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Assigns the request id (echoed in `X-Request-Id`), a child logger carrying it, and an AbortSignal that
 * fires when the client goes away before the answer is sent.
 */
export function requestStateMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
    const abort = new AbortController();
    const state: RequestState = { requestId, log: logger.child({ reqId: requestId }), startedAt: process.hrtime.bigint(), apiKey: undefined, route: undefined, abort };
    res.locals[KEY] = state;
    res.setHeader('X-Request-Id', requestId);
    // Error bodies echo client input: never let a browser sniff them into something executable.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('client disconnected'));
    });
    next();
  };
}
