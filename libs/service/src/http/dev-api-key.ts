import { chmodSync, writeFileSync } from 'node:fs';
import { countActiveApiKeys, createApiKey, type Db } from '@moe/db';
import type { Logger } from 'pino';

/**
 * On a database with no active API key, creates one named `dev`, prints it once on stderr and, when a file
 * is given, writes it there (mode 0600) so that it can be found again after the terminal scrolled away.
 * Returns the secret, or null when keys already existed.
 */
export async function ensureDevApiKey(db: Db, options: { logger?: Logger; file?: string } = {}): Promise<string | null> {
  if ((await countActiveApiKeys(db)) > 0) return null;
  const key = await createApiKey(db, { name: 'dev' });
  if (options.file !== undefined) {
    writeFileSync(options.file, `${key.secret}\n`, { mode: 0o600 });
    chmodSync(options.file, 0o600);
  }
  process.stderr.write(`\n  No API key existed, so a development key was created (send it as X-API-Key on mutating requests):\n\n    ${key.secret}\n\n${options.file ? `  Saved to ${options.file}\n\n` : ''}`);
  options.logger?.info({ prefix: key.prefix, file: options.file }, 'created development API key');
  return key.secret;
}
