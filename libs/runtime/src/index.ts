export { BACKEND_NAMES, BackendSelectionError, parseBackendRequest } from './backend/backend-name.js';
export type { BackendName, BackendRequest, BackendAttempt } from './backend/backend-name.js';
export { selectBackend, prepareBackend } from './backend/select-backend.js';
export type { BackendSelection, SelectBackendOptions } from './backend/select-backend.js';
export { installWebGpu } from './backend/webgpu-adapter.js';
export type { WebGpuAdapterInfo } from './backend/webgpu-adapter.js';
