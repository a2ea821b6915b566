/**
 * Importing @moe/kernels registers the suite's custom kernels and the gradients of core ops (tfjs-core alone
 * registers none in Node) for every backend, registered now or later. selectBackend and train import this
 * module so kernels and gradients exist whichever backend wins, even if a caller skipped selectBackend.
 */
import '@moe/kernels';
