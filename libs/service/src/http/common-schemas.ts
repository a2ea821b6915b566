import { z } from 'zod';

/**
 * A name that is safe as a URL segment and as a file name: letters, digits, `.`, `_`, `-`; starts with a
 * letter or digit (so never `.` or `..`); at most 64 characters. Use it for every model/stream/app name
 * that might reach the file system, which rules out path traversal at the boundary.
 */
export const safeName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1–64 characters of letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((s) => !s.includes('..'), 'must not contain ".."');

/** A finite number (JSON cannot carry NaN/Infinity, but 1e400 parses to Infinity). */
export const finiteNumber = z.number().refine(Number.isFinite, 'expected a finite number');

/** A query-string integer in [min, max] with a default (query values arrive as strings). */
export function queryInt(options: { min: number; max: number; default: number }) {
  return z.coerce.number().int().min(options.min).max(options.max).default(options.default);
}
