import { existsSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutRef } from './ref-tree.js';
import { repoRoot } from './report.js';

describe('checkoutRef', () => {
  it('extracts a commit with its own @moe packages and this checkout’s third-party packages', () => {
    const tree = checkoutRef('HEAD');
    try {
      expect(tree.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(existsSync(join(tree.dir, 'libs', 'core', 'src', 'index.ts'))).toBe(true);
      // Workspace packages resolve to the extracted tree, not to this checkout …
      expect(realpathSync(join(tree.dir, 'node_modules', '@moe', 'core'))).toBe(realpathSync(join(tree.dir, 'libs', 'core')));
      // … and third-party ones to the packages installed here.
      expect(readlinkSync(join(tree.dir, 'node_modules', 'vitest'))).toBe(join(repoRoot, 'node_modules', 'vitest'));
      // A second call reuses the extraction.
      expect(checkoutRef(tree.sha).dir).toBe(tree.dir);
    } finally {
      rmSync(tree.dir, { recursive: true, force: true });
    }
  });

  it('names the option and the value when the ref is not a commit', () => {
    expect(() => checkoutRef('no-such-ref-xyz')).toThrow(/--ref: expected a commit of this repository, got 'no-such-ref-xyz'/);
  });
});
