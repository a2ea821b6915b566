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

/** Integer uniforms in declaration order. */
export function intUniforms(values: number[]): ProgramUniform[] {
  return values.map((v) => ({ type: 'int32', data: [v] }));
}
