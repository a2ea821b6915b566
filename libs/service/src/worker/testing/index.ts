export { startRedisServer } from './redis-server.js';
export type { RedisTestServer, StartRedisOptions } from './redis-server.js';
