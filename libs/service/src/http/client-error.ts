import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from './errors.js';

/**
 * Answers requests that Node's HTTP parser rejects before express sees them (malformed request line,
 * oversized headers, timeouts) with the same JSON error body as everything else, instead of Node's bare
 * `400 Bad Request`. Installed as the server's 'clientError' listener.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const e =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new HttpError('headers_too_large', 'request headers are too large', { path: 'headers' })
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new HttpError('request_timeout', 'the request was not received in time')
        : new HttpError('invalid_request', `malformed HTTP request (${err.code ?? 'parse error'})`);
  const body = JSON.stringify(e.toBody());
  socket.end(
    `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
