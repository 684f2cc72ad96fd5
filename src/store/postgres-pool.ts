import type pg from 'pg';
import type { Logger } from 'pino';
import { pgDriver } from './drivers.js';

export type PostgresPool = pg.Pool;

/** How long taking a connection may wait (a store that hangs instead of refusing costs this). */
export const POSTGRES_CONNECTION_TIMEOUT_MS = 5_000;

/**
 * A PostgreSQL connection pool. Idle-client errors (server restarts, network blips) are logged,
 * never thrown: an unhandled 'error' event would crash the process.
 */
export function createPostgresPool(url: string, logger: Logger, options: { max?: number } = {}): PostgresPool {
  const pool = new (pgDriver().Pool)({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: POSTGRES_CONNECTION_TIMEOUT_MS,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL connection error'));
  // A client checked out of the pool has no error listener of the pool's; a server shutdown
  // while it is held (between two queries of a transaction) would emit an unhandled 'error' and
  // kill the process. Every client keeps this one; failures still reach the query that was
  // running, and the pool's own handler above while the client is idle.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
