import { defineConfig } from 'vitest/config';

// One root config for every package: tests are colocated `*.spec.ts`; sibling packages resolve to their
// `src/` through the `@moe/source` export condition, so no build is needed before testing.
export default defineConfig({
  resolve: { conditions: ['@moe/source'] },
  ssr: { resolve: { conditions: ['@moe/source'] } },
  test: {
    include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', 'tools/*/src/**/*.spec.ts', 'test/src/**/*.spec.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['./scripts/vitest-setup.ts'],
    reporters: ['default'],
  },
});
