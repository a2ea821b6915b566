/** Discriminant of every error response: clients branch on `error.code`, never on the message. */
export type HttpErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'headers_too_large'
  | 'request_timeout'
  | 'rate_limited'
  | 'internal'
  | 'unavailable';

/** One validation problem: where (`body.features.3`), and what was expected versus received. */
export interface ErrorIssue {
  readonly path: string;
  readonly message: string;
  readonly code: string;
}

/** The JSON body of every non-2xx response. */
export interface ErrorBody {
  readonly error: {
    readonly code: HttpErrorCode;
    readonly message: string;
    /** Dotted location of the offending field (`query.limit`, `params.name`); absent when not about a field. */
    readonly path?: string;
    /** Every problem found, when there were several (validation). */
    readonly issues?: readonly ErrorIssue[];
    readonly requestId?: string;
  };
}

const STATUS: Record<HttpErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  request_timeout: 408,
  payload_too_large: 413,
  headers_too_large: 431,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/**
 * An error a handler (or the service itself) throws to answer with a given code. Its message is sent to the
 * client as is, so it must not contain secrets; anything not an HttpError becomes an opaque 500.
 *
 * @example
 * throw new HttpError('not_found', `no model named '${name}' in app ctr`, { path: 'params.name' });
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly path: string | undefined;
  readonly issues: readonly ErrorIssue[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: HttpErrorCode,
    message: string,
    options: { path?: string; issues?: readonly ErrorIssue[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = STATUS[code];
    this.path = options.path;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }

  toBody(requestId?: string): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.path !== undefined ? { path: this.path } : {}),
        ...(this.issues !== undefined && this.issues.length > 1 ? { issues: this.issues } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
      },
    };
  }
}

/** The HTTP status an error code is answered with. */
export function statusOf(code: HttpErrorCode): number {
  return STATUS[code];
}
