import { afterEach, describe, expect, it, vi } from 'vitest';
import { nativeStatus } from '@moe/native';
import { testBackends } from './backends.js';

describe('testBackends', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('defaults to every backend and reads MOE_TEST_BACKENDS, trimming spaces', () => {
    vi.stubEnv('MOE_TEST_BACKENDS', '');
    // wasm+native joins the default list exactly when the native GEMM loads here and MOE_NATIVE is not 0.
    const native = process.env.MOE_NATIVE !== '0' && nativeStatus().available ? ['wasm+native'] : [];
    expect(testBackends()).toEqual(['cpu', 'wasm', ...native, 'webgpu']);
    vi.stubEnv('MOE_NATIVE', '0');
    expect(testBackends()).toEqual(['cpu', 'wasm', 'webgpu']);
    vi.stubEnv('MOE_TEST_BACKENDS', 'cpu,wasm+native');
    expect(testBackends()).toEqual(['cpu', 'wasm+native']);
    vi.stubEnv('MOE_TEST_BACKENDS', ' cpu, wasm ');
    expect(testBackends()).toEqual(['cpu', 'wasm']);
  });

  it('rejects unknown names (and lists that name nothing), naming the variable, the choices and the value', () => {
    vi.stubEnv('MOE_TEST_BACKENDS', 'cpu,wsam');
    expect(() => testBackends()).toThrow("MOE_TEST_BACKENDS must be a comma-separated list of tensorflow, webgpu, wasm, cpu, wasm+native; got 'cpu,wsam'");
    vi.stubEnv('MOE_TEST_BACKENDS', ' , ');
    expect(() => testBackends()).toThrow(/MOE_TEST_BACKENDS must be a comma-separated list of .*; got ' , '/);
  });
});
