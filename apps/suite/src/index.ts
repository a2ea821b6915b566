export { startSuite, type Suite, type SuiteOptions } from './start-suite.js';
export { registeredApps, type RegisteredApp } from './apps.js';
export { loadApps, type AppAvailability } from './load-apps.js';
export type { AppOverview } from './overview.js';
