export {};
export { driftApp, driftApp as appModule, createDriftApp } from './app-module.js';
