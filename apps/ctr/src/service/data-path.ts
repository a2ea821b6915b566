import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { HttpError } from '@moe/service';

/**
 * Resolves a client-given training file against the data directory and refuses anything outside it
 * (`..`, absolute paths elsewhere, symlinks leading out), naming the field. Without a data directory the
 * service accepts synthetic data only.
 */
export function resolveDataPath(dataDir: string | undefined, given: string, field: string): string {
  if (dataDir === undefined) throw new HttpError('invalid_request', `${field}: file data is disabled (no data directory is configured: set CTR_DATA_DIR); use synthetic data`, { path: field });
  let root: string;
  try {
    root = realpathSync(resolve(dataDir));
  } catch {
    throw new HttpError('invalid_request', `${field}: the configured data directory ${dataDir} does not exist`, { path: field });
  }
  const inside = (p: string) => {
    const rel = relative(root, p);
    // `..` or `../x` leaves the root; a name that merely starts with dots (`..data.csv`) does not.
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  };
  const target = resolve(root, given);
  if (!inside(target)) throw new HttpError('invalid_request', `${field}: expected a file inside the data directory, got '${given}' (resolves outside it)`, { path: field });
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    throw new HttpError('invalid_request', `${field}: no file '${given}' in the data directory`, { path: field });
  }
  if (!inside(real)) throw new HttpError('invalid_request', `${field}: '${given}' links outside the data directory`, { path: field });
  if (!statSync(real).isFile()) throw new HttpError('invalid_request', `${field}: '${given}' is not a regular file`, { path: field });
  return real;
}
