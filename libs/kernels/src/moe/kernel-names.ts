/**
 * Kernel names of the MoE ops (registered for cpu, wasm and webgpu; other backends use the composites).
 * Inputs and attributes of each, in the style of tfjs-core's kernel_names.ts.
 */

/** inputs {indices [T,k] int32}; attrs {numExperts, capacity (-1 = dropless)};
 *  outputs [positions [T,k], offsets [E+1], counts [E], dropped [], rowSlots [rows]] (all int32). */
export const MOE_DISPATCH_PLAN = 'MoeDispatchPlan';
/** inputs {x [T,d], rowSlots [rows], positions [T,k]}; attrs {k} → [rows, d]. */
export const MOE_DISPATCH = 'MoeDispatch';
/** inputs {expertOut [rows,h], weights [T,k], positions [T,k], rowSlots [rows]} → [T, h]. */
export const MOE_COMBINE = 'MoeCombine';
/** inputs {dy [T,h], expertOut [rows,h], positions [T,k]} → [T, k]: ⟨dy[t], expertOut[positions[t,j]]⟩. */
export const MOE_COMBINE_WEIGHT_GRAD = 'MoeCombineWeightGrad';
/** inputs {x [rows,p], w [E,p,q] (or [E,q,p] with transposeW), offsets [E+1]}; attrs {transposeW} → [rows, q]. */
export const MOE_GROUPED_MATMUL = 'MoeGroupedMatMul';
/** inputs {a [rows,p], b [rows,q], offsets [E+1]} → [E, p, q] with block e = a_eᵀ · b_e. */
export const MOE_GROUPED_MATMUL_WEIGHT_GRAD = 'MoeGroupedMatMulWeightGrad';

export const MOE_KERNEL_NAMES = [MOE_DISPATCH_PLAN, MOE_DISPATCH, MOE_COMBINE, MOE_COMBINE_WEIGHT_GRAD, MOE_GROUPED_MATMUL, MOE_GROUPED_MATMUL_WEIGHT_GRAD] as const;
