export { configFields, checkConfigFields } from './config-fields.js';
