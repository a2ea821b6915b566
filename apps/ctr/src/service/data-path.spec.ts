import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDataPath } from './data-path.js';

const base = mkdtempSync(join(tmpdir(), 'ctr-data-path-'));
const dataDir = join(base, 'data');
mkdirSync(join(dataDir, 'sub'), { recursive: true });
writeFileSync(join(dataDir, '..rows.csv'), 'x\n');
writeFileSync(join(dataDir, 'sub', 'rows.csv'), 'x\n');
writeFileSync(join(base, 'secret.csv'), 'x\n');
symlinkSync(join(base, 'secret.csv'), join(dataDir, 'link.csv'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveDataPath', () => {
  it('accepts files inside the data directory, including names that start with dots', () => {
    expect(resolveDataPath(dataDir, 'sub/rows.csv', 'f')).toBe(join(dataDir, 'sub', 'rows.csv'));
    expect(resolveDataPath(dataDir, '..rows.csv', 'f')).toBe(join(dataDir, '..rows.csv'));
  });

  it('refuses paths and links leading outside it, and directories, naming the field', () => {
    expect(() => resolveDataPath(dataDir, '../secret.csv', 'body.config.data.path')).toThrow("body.config.data.path: expected a file inside the data directory, got '../secret.csv'");
    expect(() => resolveDataPath(dataDir, join(base, 'secret.csv'), 'f')).toThrow(/resolves outside it/);
    expect(() => resolveDataPath(dataDir, '..', 'f')).toThrow(/resolves outside it/);
    expect(() => resolveDataPath(dataDir, 'link.csv', 'f')).toThrow(/links outside the data directory/);
    expect(() => resolveDataPath(dataDir, 'sub', 'f')).toThrow(/is not a regular file/);
    expect(() => resolveDataPath(undefined, 'x.csv', 'f')).toThrow(/file data is disabled/);
  });
});
