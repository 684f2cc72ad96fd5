import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisDriver } from './drivers.js';
import { createPostgresPool, type PostgresPool } from './postgres-pool.js';

export interface StoresConfig {
  postgres?: { url: string; maxConnections?: number };
  redis?: { url: string };
}

/**
 * The shared PostgreSQL pool and Redis client of a multi-instance deployment, created on first
 * use and closed once. Absent config means the embedded SQLite store and in-process counters.
 */
export class SharedStores {
  private readonly config: StoresConfig;
  private readonly logger: Logger;
  private pool: PostgresPool | undefined;
  private redisClient: Redis | undefined;

  constructor(config: StoresConfig, logger: Logger) {
    this.config = config;
    this.logger = logger;
  }

  get hasPostgres(): boolean {
    return this.config.postgres !== undefined;
  }

  get hasRedis(): boolean {
    return this.config.redis !== undefined;
  }

  postgres(): PostgresPool | undefined {
    if (this.config.postgres === undefined) return undefined;
    this.pool ??= createPostgresPool(this.config.postgres.url, this.logger, {
      ...(this.config.postgres.maxConnections === undefined ? {} : { max: this.config.postgres.maxConnections }),
    });
    return this.pool;
  }

  /**
   * The Redis client. Commands fail fast while Redis is down (no offline queue) so callers can
   * apply their fail-open/closed policy; the client keeps reconnecting in the background.
   */
  redis(): Redis | undefined {
    if (this.config.redis === undefined) return undefined;
    if (this.redisClient === undefined) {
      const client = new (redisDriver().Redis)(this.config.redis.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => Math.min(times * 100, 2000),
      });
      client.on('error', (error) => this.logger.warn({ err: error }, 'Redis connection error'));
      this.redisClient = client;
    }
    return this.redisClient;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    const redis = this.redisClient;
    this.pool = undefined;
    this.redisClient = undefined;
    await Promise.allSettled([pool?.end(), redis?.quit()]);
  }
}
