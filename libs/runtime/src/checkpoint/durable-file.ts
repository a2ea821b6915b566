import { open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/** A temp name beside `path` that TEMP_FILE_PATTERN recognises. */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Writes `data` to `path` so that `path` is either absent/its old content or the whole new content, never
 * a prefix: write a temp file, fsync it (data on disk before the name points at it), rename over `path`.
 */
export async function writeFileDurably(path: string, data: Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** fsyncs a directory so renames/unlinks in it survive a power loss (a no-op where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Some platforms/filesystems refuse fsync on directories (EISDIR/EINVAL/EPERM): durability of the
    // rename then rests on the filesystem, which is the best available there.
    const code = (e as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    await fh?.close();
  }
}
