/** The tensor backends the suite knows, in the order `auto` tries them. */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
/** A tensor backend name. */
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What `MOE_BACKEND` may say: one backend or `auto`. */
export type BackendRequest = BackendName | 'auto';

/** Parses a backend request (`MOE_BACKEND`): trimmed, case-insensitive; empty or unset means `auto`. Throws a {@link BackendSelectionError} naming `source`, the choices and the value otherwise. */
export function parseBackendRequest(value: string | undefined, source = 'MOE_BACKEND'): BackendRequest {
  const v = (value ?? 'auto').trim().toLowerCase() || 'auto';
  if (v === 'auto' || (BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendRequest;
  throw new BackendSelectionError(
    'invalid_request',
    `${source} must be one of auto, ${BACKEND_NAMES.join(', ')}; got '${value}'`,
    [],
  );
}

/** Why one backend was not taken. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** Human-readable reason, e.g. "package @tensorflow/tfjs-node is not installed". */
  reason: string;
}

/** Thrown when a backend request is invalid (`invalid_request`) or no requested backend can start (`unavailable`); `attempts` says why each was skipped. */
export class BackendSelectionError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'unavailable',
    message: string,
    readonly attempts: BackendAttempt[],
  ) {
    super(message);
    this.name = 'BackendSelectionError';
  }
}
