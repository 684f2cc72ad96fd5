import { Pool } from 'undici';

export interface PoolSettings {
  connectTimeoutMs: number;
  /** Most sockets kept to one origin. */
  connections?: number;
  keepAliveTimeoutMs?: number;
}

/**
 * One keep-alive connection pool per upstream origin, shared by every provider and key that
 * talks to it. Sockets are created with TCP_NODELAY so small stream chunks are not delayed.
 */
export class ConnectionPools {
  private readonly pools = new Map<string, Pool>();

  get(origin: string, settings: PoolSettings): Pool {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: settings.connections ?? 256,
        pipelining: 1,
        keepAliveTimeout: settings.keepAliveTimeoutMs ?? 60_000,
        keepAliveMaxTimeout: 600_000,
        connect: { timeout: settings.connectTimeoutMs, noDelay: true, keepAlive: true },
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  get size(): number {
    return this.pools.size;
  }

  /** Close every pool, letting in-flight requests finish. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.close()));
  }

  /** Abort everything at once (after the shutdown deadline). */
  async destroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.destroy()));
  }
}
