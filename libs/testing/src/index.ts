export { describeEachBackend, testBackends, useBackend } from './backends.js';
export { expectNoLeaks } from './leaks.js';
export { expectClose, values } from './close.js';
export type { Tolerance } from './close.js';
export { checkGradients } from './gradient-check.js';
export type { GradientCheckOptions } from './gradient-check.js';
export { checkVariableGradients, variablesAsInputs, randomizeVariables } from './variable-gradient-check.js';
export type { VariableGradientCheckOptions } from './variable-gradient-check.js';
