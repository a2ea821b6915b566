import type { Request } from 'express';
import { HttpError } from './errors.js';

/**
 * A route that takes a raw binary body (an image, a clip, a GeoTIFF) instead of JSON: the accepted content
 * types and the size limit. Anything else is answered 415, anything larger 413, an empty body 400.
 */
export interface UploadOptions {
  /** Accepted media types, e.g. ['image/png', 'image/jpeg', 'image/tiff']; 'image/*' accepts any image subtype. */
  readonly contentTypes: readonly string[];
  /** Largest accepted body in bytes (checked against Content-Length first, then while reading). */
  readonly maxBytes: number;
}

/** What an upload route's handler receives as `ctx.upload`. */
export interface UploadedBody {
  readonly bytes: Uint8Array;
  /** The request's media type, lower-cased, without parameters (e.g. 'image/png'). */
  readonly contentType: string;
}

/** `image/PNG; charset=x` → `image/png`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

function accepts(accepted: readonly string[], type: string): boolean {
  return accepted.some((a) => {
    const want = a.toLowerCase();
    return want.endsWith('/*') ? type.startsWith(want.slice(0, -1)) : want === type;
  });
}

/** Checks an upload route's options when the service is built, so a typo fails at start-up, not per request. */
export function checkUploadOptions(label: string, upload: UploadOptions): void {
  if (!Array.isArray(upload.contentTypes) || upload.contentTypes.length === 0 || !upload.contentTypes.every((t) => typeof t === 'string' && /^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i.test(t))) {
    throw new TypeError(`${label}: upload.contentTypes must be a non-empty array of media types such as 'image/png'; got ${JSON.stringify(upload.contentTypes)}`);
  }
  if (!Number.isSafeInteger(upload.maxBytes) || upload.maxBytes < 1) throw new TypeError(`${label}: upload.maxBytes must be a positive integer; got ${JSON.stringify(upload.maxBytes)}`);
}

// Refusing part-way leaves unread bytes on the socket: ask the client to close rather than reuse it.
const closeHeaders = { Connection: 'close' };

/**
 * Reads a raw body for an upload route: 415 naming the accepted types for any other Content-Type, 413 as
 * soon as the body (declared or read) passes maxBytes, 400 for an empty body.
 */
export async function readUploadBody(req: Request, upload: UploadOptions, signal: AbortSignal): Promise<UploadedBody> {
  const contentType = mediaType(req.headers['content-type']);
  if (!accepts(upload.contentTypes, contentType)) {
    throw new HttpError('unsupported_media_type', `expected a body of type ${upload.contentTypes.join(', ')}; got '${req.headers['content-type'] ?? 'none'}'`, { path: 'headers.content-type', headers: closeHeaders });
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > upload.maxBytes) {
    throw new HttpError('payload_too_large', `the body is ${declared} bytes; the limit is ${upload.maxBytes} bytes`, { path: 'body', headers: closeHeaders });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > upload.maxBytes) {
        cleanup();
        req.pause();
        reject(new HttpError('payload_too_large', `the body exceeds the limit of ${upload.maxBytes} bytes`, { path: 'body', headers: closeHeaders }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new HttpError('invalid_request', `the request body could not be read: ${err.message.slice(0, 200)}`, { path: 'body' }));
    };
    const onAbort = (): void => {
      cleanup();
      reject(new HttpError('invalid_request', 'the request was aborted while its body was read', { path: 'body' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  if (total === 0) throw new HttpError('invalid_request', `expected a ${upload.contentTypes.join(' or ')} body; the body is empty`, { path: 'body' });
  const body = Buffer.concat(chunks, total);
  return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), contentType };
}
