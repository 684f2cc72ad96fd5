import { createRequire } from 'node:module';
import type * as IoRedis from 'ioredis';
import type Pg from 'pg';

const require = createRequire(import.meta.url);
let pg: typeof Pg | undefined;
let ioredis: typeof IoRedis | undefined;

/**
 * The PostgreSQL driver, loaded on first use: a gateway on the embedded SQLite store never
 * holds it in memory (about 9 MB of RSS). Synchronous, as the driver is CommonJS.
 */
export function pgDriver(): typeof Pg {
  return (pg ??= require('pg') as typeof Pg);
}

/** The Redis client library, loaded on first use (about 18 MB of RSS when loaded). */
export function redisDriver(): typeof IoRedis {
  return (ioredis ??= require('ioredis') as typeof IoRedis);
}
