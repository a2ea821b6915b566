import type * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs-backend-webgpu's WebGPUProgram and WebGPUBackend this package uses, typed locally so
 * that this platform-neutral library never imports the backend package (the backend object arrives as the
 * kernel's `backend` argument).
 */
export interface WebGpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  size?: boolean;
  getUserCode(): string;
}

export interface ProgramUniform {
  type: 'int32' | 'float32' | 'uint32';
  data: number[];
}

export interface WebGpuBackendLike {
  runWebGPUProgram(program: WebGpuProgram, inputs: tf.TensorInfo[], outputDtype: tf.DataType, programUniforms?: ProgramUniform[], output?: tf.TensorInfo): tf.TensorInfo;
}

const WORKGROUP = 64;

/**
 * A program with one invocation per output element: the backend calls `main(index)` with the flat output
 * index (and reshapes the dispatch itself when it exceeds 65535 workgroups per dimension). `body` sees
 * `index` already bounds-checked, the inputs as raw arrays named in `variableNames`, and `uniforms.<name>`
 * for each field declared in `uniforms` (all i32 here).
 */
export function elementwiseProgram(shaderKey: string, variableNames: string[], outputShape: number[], uniformNames: string[], body: string): WebGpuProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames,
    outputShape,
    shaderKey,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.max(1, Math.ceil(size / WORKGROUP)), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: uniformNames.map((n) => `${n} : i32,`).join(' '),
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

/**
 * Register-tiled matmul geometry: a workgroup of THREADS invocations computes a TILE×TILE output tile,
 * each invocation a PER×PER block of it, stepping through the inner dimension TILE at a time (two
 * TILE×TILE blocks staged in workgroup memory: 8 KiB). Many FMAs per barrier matter on lavapipe, where a
 * barrier splits the shader.
 */
export const TILE = 32;
export const PER = 4;
export const THREADS = (TILE / PER) * (TILE / PER);

/**
 * A program with one workgroup of THREADS invocations per output tile. The backend still calls
 * `main(index)` with the linear invocation index (robust to its reshaping of large dispatches), so the
 * body derives `tile = index / THREADS` and `lid = index % THREADS`. There is no bounds check: every
 * invocation must reach the barriers, so the body guards its own loads and stores.
 */
export function tiledProgram(shaderKey: string, variableNames: string[], outputShape: number[], numTiles: number, uniformNames: string[], userCode: string): WebGpuProgram {
  return {
    variableNames,
    outputShape,
    shaderKey,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.max(1, numTiles), 1, 1],
    workgroupSize: [THREADS, 1, 1],
    uniforms: uniformNames.map((n) => `${n} : i32,`).join(' '),
    getUserCode: () => userCode,
  };
}

/** Integer uniforms in declaration order. */
export function intUniforms(values: number[]): ProgramUniform[] {
  return values.map((v) => ({ type: 'int32', data: [v] }));
}
