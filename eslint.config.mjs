import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries (ARCHITECTURE.md): platform-neutral libs (core, kernels, stream) never reach Node-only
// packages, backends, databases or servers; libs never depend on apps.
const nodeOnly = ['fs', 'path', 'os', 'child_process', 'node:fs', 'node:fs/promises', 'node:path', 'node:os', 'node:child_process', 'node:net', 'node:http', 'node:worker_threads', 'sharp', '@prisma/*', 'express', 'better-sqlite3', 'pg', 'ioredis',
  '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-*', 'webgpu'];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', 'docs/**', '**/*.mjs', '**/*.js', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', {
        allow: [],
        // Specs of kernels/core use @moe/testing, which runs them through @moe/runtime (which imports kernels):
        // a test-time edge only, never a runtime cycle.
        ignoredCircularDependencies: [['@moe/kernels', '@moe/testing'], ['@moe/core', '@moe/testing'], ['@moe/runtime', '@moe/testing'], ['@moe/native', '@moe/testing']],
        depConstraints: [
          { sourceTag: 'platform:neutral', onlyDependOnLibsWithTags: ['platform:neutral'], bannedExternalImports: nodeOnly },
          { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
          { sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['scope:core', 'scope:runtime'] },
          { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:core', 'scope:runtime', 'scope:testing'] },
          { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', 'scope:core', 'scope:runtime'] },
          { sourceTag: 'scope:vision', onlyDependOnLibsWithTags: ['scope:vision', 'scope:platform', 'scope:core', 'scope:runtime'] },
          { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['scope:core', 'scope:runtime', 'scope:platform', 'scope:vision', 'type:app'] },
          { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['scope:core', 'scope:runtime', 'scope:platform', 'scope:vision', 'scope:testing', 'type:app'] },
          { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
        ],
      }],
    },
  },
  {
    // Node built-ins are not project-graph nodes, so the Nx rule cannot see them: ban them by path.
    files: ['libs/core/src/**/*.ts', 'libs/kernels/src/**/*.ts', 'libs/stream/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(node:.*|fs|path|os|child_process|net|http|https|worker_threads)$', message: 'platform-neutral libraries (core, kernels, stream) must not use Node built-ins; put I/O in @moe/runtime or an app.' }] }],
    },
  },
  {
    // Specs run in Node: they may use the test helpers (@moe/testing) and Node built-ins in any package.
    files: ['**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
