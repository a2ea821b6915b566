/**
 * Importing @moe/kernels registers the suite's custom kernels and the gradients of core ops (tfjs-core alone
 * registers none in Node) for every backend, registered now or later. selectBackend and train import this
 * module so kernels and gradients exist whichever backend wins, even if a caller skipped selectBackend.
 *
 * The lint suppression: Nx sees a cycle runtime → kernels → testing → runtime, but the kernels → testing
 * edge comes only from kernels' specs and test helpers, never from code that ships. Drop this comment once
 * eslint.config.mjs lists that pair under `ignoredCircularDependencies`.
 */
// eslint-disable-next-line @nx/enforce-module-boundaries -- test-only cycle, see above
import '@moe/kernels';
