import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What Dawn reports about the adapter it found. */
export interface WebGpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for CPU implementations (Mesa lavapipe, SwiftShader): correct but slow. */
  software: boolean;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: Record<string, string> } | null>;
}

let installed: Promise<WebGpuAdapterInfo> | undefined;

/**
 * Installs Dawn's `navigator.gpu` into this Node process and checks that a real adapter exists.
 * The tfjs webgpu backend registers itself only when `navigator.gpu` is present at import time, so this must
 * run before that package is imported. Resolves with the adapter; rejects with the reason when there is none.
 */
export function installWebGpu(): Promise<WebGpuAdapterInfo> {
  installed ??= (async () => {
    // Dawn's Vulkan instance needs a runtime dir; CI containers often lack one.
    if (!process.env.XDG_RUNTIME_DIR) {
      const dir = join(tmpdir(), `moe-xdg-${process.getuid?.() ?? 0}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      process.env.XDG_RUNTIME_DIR = dir;
    }
    const webgpu = (await import('webgpu')) as unknown as { create(flags: string[]): GpuLike; globals: object };
    Object.assign(globalThis, webgpu.globals);
    const flags = process.env.DAWN_BACKEND ? [`backend=${process.env.DAWN_BACKEND}`] : [];
    const gpu = webgpu.create(flags);
    let adapter: Awaited<ReturnType<GpuLike['requestAdapter']>>;
    try {
      adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    } catch (e) {
      throw new Error(`Dawn found no adapter (${(e as Error).message})`);
    }
    if (!adapter) throw new Error('Dawn found no WebGPU adapter (no Vulkan driver: install mesa-vulkan-drivers from bookworm-backports, or a GPU driver)');
    const info = adapter.info ?? {};
    const vendor = String(info.vendor ?? '');
    const architecture = String(info.architecture ?? '');
    // Node >= 21 defines a getter-only `navigator`; defineProperty works on every version.
    const current = (globalThis as { navigator?: object }).navigator ?? {};
    Object.defineProperty(globalThis, 'navigator', { value: { ...current, gpu }, configurable: true, writable: true });
    return {
      vendor, architecture,
      device: String(info.device ?? ''),
      description: String(info.description ?? ''),
      software: /mesa|llvmpipe|lavapipe|swiftshader/i.test(`${vendor} ${architecture} ${info.description ?? ''}`) && /software|cpu|llvmpipe|lavapipe|swiftshader/i.test(`${architecture} ${info.description ?? ''} ${info.device ?? ''}`),
    };
  })();
  return installed;
}
