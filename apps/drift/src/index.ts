export { driftApp, driftApp as appModule, createDriftApp } from './app-module.js';
export { parseStreamKnobs, knobsTag, KNOB_NAMES, type StreamKnobs } from './data/stream-knobs.js';
