// @moe/native: the optional native CPU path. Importing it registers (once per process) native MatMul,
// BatchMatMul, _FusedMatMul and grouped expert matmul kernels over the wasm backend's; they run on a CBLAS
// library (Debian's OpenBLAS, every core) through koffi, on the wasm heap in place, while the path is enabled
// (with a copy-free Identity, which tfjs uses to save tensors for the backward pass).
import '@moe/kernels';
import { registerNativeKernels } from './register-native-kernels.js';

registerNativeKernels();

export { activateNativePath, nativeStatus, parseNativeSwitch, setNativeEnabled, setNativeThreads } from './native-path.js';
export type { NativeStatus } from './native-path.js';
export { NativeUnavailableError } from './cblas-library.js';
