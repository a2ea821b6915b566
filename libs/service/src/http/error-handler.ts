import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from './errors.js';
import { requestState } from './request-state.js';

/** Errors raised by body-parser / express carry `type` and `status`; map the ones a client can cause. */
function fromFrameworkError(err: unknown, limitBytes: number): HttpError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; message?: unknown };
  switch (e.type) {
    case 'entity.too.large':
      return new HttpError('payload_too_large', `request body exceeds the limit of ${limitBytes} bytes`, { path: 'body' });
    case 'entity.parse.failed':
      return new HttpError('invalid_json', `request body is not valid JSON: ${String(e.message).slice(0, 200)}`, { path: 'body' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError('unsupported_media_type', `unsupported body encoding or charset: ${String(e.message).slice(0, 200)}`, { path: 'body' });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new HttpError('invalid_request', `request body could not be read: ${String(e.message).slice(0, 200)}`, { path: 'body' });
  }
  if (err instanceof URIError) return new HttpError('invalid_request', 'the URL contains an invalid percent-encoding', { path: 'url' });
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (status === 413) return new HttpError('payload_too_large', `request body exceeds the limit of ${limitBytes} bytes`, { path: 'body' });
  if (status >= 400 && status < 500) return new HttpError('invalid_request', 'the request could not be processed', {});
  return null;
}

/** Sends `err` as the JSON error body; never a stack trace, never an internal message for a 500. */
export function sendError(res: Parameters<RequestHandler>[1], err: HttpError, requestId: string | undefined): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.status(err.status).json(err.toBody(requestId));
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    const st = requestState(res);
    sendError(res, new HttpError('not_found', `no route for ${req.method} ${req.path}`, { path: 'url' }), st?.requestId);
  };
}

export function errorHandler(limitBytes: number): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const st = requestState(res);
    const known = err instanceof HttpError ? err : fromFrameworkError(err, limitBytes);
    if (known !== null) {
      st?.log.debug({ code: known.code, message: known.message }, 'request refused');
      sendError(res, known, st?.requestId);
      return;
    }
    st?.log.error({ err }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, new HttpError('internal', `internal error; quote request id ${st?.requestId ?? 'unknown'} when reporting it`), st?.requestId);
  };
}
