import { afterEach, describe, expect, it, vi } from 'vitest';
import { testBackends } from './backends.js';

describe('testBackends', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('defaults to every backend and reads MOE_TEST_BACKENDS, trimming spaces', () => {
    vi.stubEnv('MOE_TEST_BACKENDS', '');
    expect(testBackends()).toEqual(['cpu', 'wasm', 'webgpu']);
    vi.stubEnv('MOE_TEST_BACKENDS', ' cpu, wasm ');
    expect(testBackends()).toEqual(['cpu', 'wasm']);
  });

  it('rejects unknown names (and lists that name nothing), naming the variable, the choices and the value', () => {
    vi.stubEnv('MOE_TEST_BACKENDS', 'cpu,wsam');
    expect(() => testBackends()).toThrow("MOE_TEST_BACKENDS must be a comma-separated list of tensorflow, webgpu, wasm, cpu; got 'cpu,wsam'");
    vi.stubEnv('MOE_TEST_BACKENDS', ' , ');
    expect(() => testBackends()).toThrow(/MOE_TEST_BACKENDS must be a comma-separated list of .*; got ' , '/);
  });
});
