export { MoeError, MoeConfigError, MoeInputError, isMoeError } from './moe-error.js';
export type { MoeErrorCode, MoeConfigErrorCode, MoeInputErrorCode } from './moe-error.js';
