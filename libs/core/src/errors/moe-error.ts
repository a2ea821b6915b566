/**
 * Errors @moe/core throws at its boundaries (configs, input tensors, weights), in the style of
 * `@moe/runtime`'s `CheckpointError`: `code` is the discriminant callers switch on (a service answers 400 on
 * any of them), `owner` names the module kind or function that refused, `field` the config field or
 * argument concerned. Messages keep the `Owner: field must be …; got …` form.
 */
export type MoeConfigErrorCode =
  /** No module or router is registered under the config's `kind`. */
  | 'unknown_kind'
  /** The config has a key the module does not accept (a misspelt option). */
  | 'unknown_field'
  /** A field is missing, of the wrong type or out of range. */
  | 'invalid_field'
  /** A module spec is not `{ kind, config }`. */
  | 'invalid_spec'
  /** `registerRouter` was asked to register a kind twice. */
  | 'duplicate_kind';

export type MoeInputErrorCode =
  /** An input tensor has the wrong rank, shape or dtype. */
  | 'invalid_tensor'
  /** `setWeights` got a missing, extra or mis-shaped weight. */
  | 'invalid_weights';

export type MoeErrorCode = MoeConfigErrorCode | MoeInputErrorCode;

/** Base of every coded @moe/core error. */
export abstract class MoeError extends Error {
  abstract readonly code: MoeErrorCode;
  constructor(
    /** The module kind or function that refused, e.g. 'TopKRouter' or 'moduleFromConfig'. */
    readonly owner: string,
    message: string,
    /** The config field or argument concerned (dotted for nested fields: 'router.config.k'). */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A config or spec was refused: unknown kind or key, bad value. */
export class MoeConfigError extends MoeError {
  constructor(
    readonly code: MoeConfigErrorCode,
    owner: string,
    message: string,
    field?: string,
    options?: { cause?: unknown },
  ) {
    super(owner, message, field, options);
    this.name = 'MoeConfigError';
  }
}

/** An input tensor or a weight set was refused. */
export class MoeInputError extends MoeError {
  constructor(
    readonly code: MoeInputErrorCode,
    owner: string,
    message: string,
    field?: string,
    options?: { cause?: unknown },
  ) {
    super(owner, message, field, options);
    this.name = 'MoeInputError';
  }
}

/** Narrows an unknown error to a coded @moe/core error (optionally of one code). */
export function isMoeError<C extends MoeErrorCode = MoeErrorCode>(e: unknown, code?: C): e is MoeError & { code: C } {
  return e instanceof MoeError && (code === undefined || e.code === code);
}
