import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

describe('real PostgreSQL and Redis for tests', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.destroy(), redis?.stop()]);
  });

  it('PostgreSQL answers queries and survives a restart', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query('create table t (x int)');
    await client.query('insert into t values (42)');
    await client.end();
    await postgres.stop();
    await postgres.start();
    const again = new pg.Client({ connectionString: postgres.url });
    await again.connect();
    const result = await again.query('select x from t');
    expect(result.rows).toEqual([{ x: 42 }]);
    await again.end();
  });

  it('Redis answers commands', async () => {
    const client = new Redis(redis.url);
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();
  });
});
