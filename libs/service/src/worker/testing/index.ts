export { startRedisServer } from './redis-server.js';
export type { RedisTestServer, StartRedisOptions } from './redis-server.js';
export { spawnWorkerChild } from './worker-child.js';
export type { SpawnWorkerChildOptions, WorkerChild } from './worker-child.js';
