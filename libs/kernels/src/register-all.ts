import './register-core-gradients.js';
import { registerTopKGradient } from './grad/topk-gradient.js';
import { registerMoeGradients } from './moe/register-moe-gradients.js';
import { registerHostMoeKernels } from './host/register-host-moe-kernels.js';
import { registerWebGpuMoeKernels } from './webgpu/register-webgpu-moe-kernels.js';
import { registerWasmFills } from './wasm-fills/register-wasm-fills.js';

// One flag per process, on globalThis: the source and the built copy of this package may both be loaded
// (tsx + dist), and tfjs' registry is global, so a module-local flag would register twice.
const FLAG = Symbol.for('@moe/kernels/registered');

/**
 * Registers the suite's kernels for cpu, wasm and webgpu (by backend name: the backends need not be
 * initialised yet) and the gradients tfjs lacks. Runs on import of '@moe/kernels'; calling it again is a no-op.
 */
export function registerMoeKernels(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[FLAG]) return;
  g[FLAG] = true;
  registerTopKGradient();
  registerMoeGradients();
  registerHostMoeKernels();
  registerWebGpuMoeKernels();
  registerWasmFills();
}
