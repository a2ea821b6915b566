/** Discriminant of every error @moe/db raises, so callers can branch without parsing messages. */
export type DbErrorCode =
  | 'invalid_config'
  | 'migration_failed'
  | 'migration_modified'
  | 'migration_unknown'
  | 'invalid_argument'
  | 'not_found';

/** An error from @moe/db: `code` says which kind, `message` names the setting or argument involved. */
export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * True when `err` is Prisma's unique-constraint violation (P2002). Both generated clients share one runtime,
 * so the code check works for SQLite and PostgreSQL alike; idempotent writers use it to detect "already done".
 */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
