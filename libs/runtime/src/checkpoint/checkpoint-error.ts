/**
 * Why a checkpoint was refused or could not be written. `code` is the discriminant callers switch on
 * (a registry marks a model corrupt on `checksum_mismatch`, retries on `write_failed`, ...); `file` names
 * the file concerned, relative to the checkpoint directory, when there is one.
 */
export type CheckpointErrorCode =
  /** An argument to save/load is malformed (bad weight name, unsupported dtype, non-JSON config). */
  | 'invalid_argument'
  /** The directory has no manifest.json: never written, or not a checkpoint. */
  | 'manifest_missing'
  /** manifest.json is not valid JSON or does not have the expected fields/format version. */
  | 'manifest_invalid'
  /** A file the manifest lists is absent. */
  | 'file_missing'
  /** A file the manifest lists exists but cannot be read (permissions, I/O error). */
  | 'file_unreadable'
  /** A file is shorter or longer than the manifest says (truncated copy, partial write). */
  | 'size_mismatch'
  /** A file's sha256 differs from the manifest (altered or corrupted). */
  | 'checksum_mismatch'
  /** A file passed its checksum but its content is malformed (not JSON, bad tensor entry, unknown dtype). */
  | 'content_invalid'
  /** A tensor's shape disagrees with its byte range, or the ranges do not tile the weights file. */
  | 'shape_mismatch'
  /** Writing failed (disk full, permissions); the previous checkpoint is left in place. */
  | 'write_failed';

export class CheckpointError extends Error {
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
    /** The file concerned, relative to the checkpoint directory. */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

/** Narrows an unknown error to a CheckpointError (optionally of one code). */
export function isCheckpointError(e: unknown, code?: CheckpointErrorCode): e is CheckpointError {
  return e instanceof CheckpointError && (code === undefined || e.code === code);
}
