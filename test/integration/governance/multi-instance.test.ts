import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../../helpers/gateway-process.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { catalogFile, chatBody, post, PRICE_PER_TOKEN } from './governance-setup.js';
import { waitFor } from '../../helpers/wait-for.js';

/*
 * Two real gateway processes (the built CLI) sharing a real PostgreSQL (config, keys, spend
 * ledger, change notices) and a real Redis (counters). Needs `npm run build` first.
 */

const ADMIN = 'sy-admin-multi-instance';
const KEYS = {
  burst: 'sk-sy-burst-0123456789abcdefghij',
  rpm: 'sk-sy-rpm-0123456789abcdefghijkl',
  revoke: 'sk-sy-revoke-0123456789abcdefghi',
  budgetOutage: 'sk-sy-outage-budget-0123456789ab',
  rateOutage: 'sk-sy-outage-rate-0123456789abcd',
};
const BURST_BUDGET_USD = 0.5;
const ENCRYPTION_KEY = '5e'.repeat(32);
const PROVIDER_SECRET = 'sk-live-shared-provider-secret-7f3a';

let postgres: PostgresServer;
let redis: RedisServer;
let upstream: MockUpstream;
let a: GatewayProcess;
let b: GatewayProcess;
let db: pg.Pool;
let config: { virtualKeys: unknown[] } & Record<string, unknown>;
let instanceEnv: Record<string, string>;

 
type LooseJson = any;

async function admin(
  gateway: GatewayProcess,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; json: LooseJson }> {
  const response = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

/** Named with its provider: a second provider of the same type is created through the API below. */
const BODY = chatBody({ model: 'openai/gpt-4o-mini' });

function chat(gateway: GatewayProcess, key: string): Promise<Response> {
  return post(`${gateway.url}/v1/chat/completions`, BODY, { authorization: `Bearer ${key}` });
}

async function ledgerSpend(keyId: string): Promise<{ usd: number; rows: number }> {
  const result = await db.query<{ total: string; rows: string }>(
    `select coalesce(sum(cost_nano), 0)::text as total, count(*)::text as rows from gov_spend where virtual_key_id = $1`,
    [keyId],
  );
  return { usd: Number(result.rows[0]!.total) / 1e9, rows: Number(result.rows[0]!.rows) };
}


beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  upstream = await new MockUpstream().start();
  upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json', { delayMs: 20 }));
  upstream.on('POST', '/shared/v1/chat/completions', fixtureReply('openai-chat/text.json'));
  config = {
    stores: { postgres: { url: postgres.url }, redis: { url: redis.url } },
    logging: { level: 'warn', requests: false },
    catalog: { files: [catalogFile()] },
    providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] } },
    governance: { onStoreFailure: { rateLimits: 'open', budgets: 'closed' } },
    virtualKeys: [
      { name: 'burst', value: 'env.BURST_KEY', budget: { usd: BURST_BUDGET_USD, period: '1d' } },
      { name: 'rpm', value: 'env.RPM_KEY', rateLimit: { requests: 60, per: '1m' } },
      { name: 'budget-outage', value: 'env.OUTAGE_BUDGET_KEY', budget: { usd: 100, period: '1d' } },
      { name: 'rate-outage', value: 'env.OUTAGE_RATE_KEY', rateLimit: { requests: 20, per: '1m' } },
    ],
  };
  instanceEnv = {
    SWITCHYARD_ADMIN_KEY: ADMIN,
    SWITCHYARD_ENCRYPTION_KEY: ENCRYPTION_KEY,
    BURST_KEY: KEYS.burst,
    RPM_KEY: KEYS.rpm,
    OUTAGE_BUDGET_KEY: KEYS.budgetOutage,
    OUTAGE_RATE_KEY: KEYS.rateOutage,
  };
  a = await startGateway({ config, env: instanceEnv });
  b = await startGateway({ config, env: instanceEnv });
  db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  db.on('error', () => undefined);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.end().catch(() => undefined);
  await upstream?.stop();
  await Promise.all([postgres?.destroy(), redis?.stop()]);
});

describe('two instances sharing PostgreSQL and Redis', () => {
  it('keeps a small budget under concurrent bursts: spend ≤ budget + one reservation', async () => {
    const before = upstream.count('POST', '/v1/chat/completions');
    const statuses: number[] = [];
    const codes = new Set<string>();
    // Waves of 200 requests at once, split over both instances, until the budget is spent.
    for (let wave = 0; wave < 6; wave++) {
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, index) => chat(index % 2 === 0 ? a : b, KEYS.burst)),
      );
      for (const response of responses) {
        statuses.push(response.status);
        if (response.status !== 200)
          codes.add(((await response.json()) as { error: { code: string } }).error.code);
        else await response.arrayBuffer();
      }
      if (responses.every((response) => response.status === 429)) break;
    }
    const served = statuses.filter((status) => status === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect([...codes]).toEqual(['budget_exceeded']);
    // Refused requests never reached the provider.
    expect(upstream.count('POST', '/v1/chat/completions') - before).toBe(served);
    // One reservation: (body bytes / 3) prompt tokens + max_tokens 50, at $0.001 a token.
    const reservation = (Math.ceil(Buffer.byteLength(BODY) / 3) + 50) * PRICE_PER_TOKEN;
    await waitFor(async () => (await ledgerSpend('burst')).rows === served, 10_000, 'the spend ledger');
    const spend = await ledgerSpend('burst');
    expect(spend.usd).toBeCloseTo(served * 51 * PRICE_PER_TOKEN, 9);
    expect(spend.usd).toBeLessThanOrEqual(BURST_BUDGET_USD + reservation + 1e-9);
    // The budget was used up, not refused early.
    expect(spend.usd).toBeGreaterThan(BURST_BUDGET_USD - reservation);
  });

  it('holds a requests-per-minute limit across both instances', async () => {
    const responses = await Promise.all(
      Array.from({ length: 150 }, (_, index) => chat(index % 2 === 0 ? a : b, KEYS.rpm)),
    );
    const served = responses.filter((response) => response.status === 200).length;
    const refused = responses.filter((response) => response.status === 429);
    for (const response of responses) await response.arrayBuffer();
    // 60 a minute, GCRA: the full 60 at once, plus at most the few that refill while the test runs.
    expect(served).toBeGreaterThanOrEqual(60);
    expect(served).toBeLessThanOrEqual(63);
    expect(refused.length).toBe(150 - served);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a key on instance B within a second of its revocation through instance A', async () => {
    const created = await admin(a, 'POST', '/api/virtual-keys', { name: 'to-revoke', value: KEYS.revoke });
    expect(created.status).toBe(201);
    await waitFor(async () => (await chat(b, KEYS.revoke)).status === 200, 2000, 'B to accept the new key');
    expect((await admin(a, 'PATCH', `/api/virtual-keys/${created.json.id}`, { active: false })).status).toBe(
      200,
    );
    const revokedAt = Date.now();
    let refusedAfter: number | undefined;
    while (Date.now() - revokedAt < 1000) {
      const response = await chat(b, KEYS.revoke);
      await response.arrayBuffer();
      if (response.status === 401) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(refusedAfter, 'instance B still accepted the revoked key after a second').toBeDefined();
    expect((await chat(a, KEYS.revoke)).status).toBe(401);
  });

  it('routes to a provider created through instance A from instance B; PostgreSQL holds its key only encrypted', async () => {
    const created = await admin(a, 'POST', '/api/providers', {
      id: 'shared',
      type: 'openai',
      baseUrl: `${upstream.url}/shared/v1`,
      keys: [{ name: 'main', value: PROVIDER_SECRET }],
    });
    expect(created.status).toBe(201);
    const user = (await admin(a, 'POST', '/api/virtual-keys', { name: 'provider-user' })).json
      .value as string;
    await waitFor(
      async () => {
        const response = await post(
          `${b.url}/v1/chat/completions`,
          chatBody({ model: 'shared/gpt-4o-mini' }),
          { authorization: `Bearer ${user}` },
        );
        await response.arrayBuffer();
        return response.status === 200;
      },
      1000,
      'B to route to the new provider',
    );
    const sent = upstream.requests.filter((request) => request.path === '/shared/v1/chat/completions');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${PROVIDER_SECRET}`);
    const tables = await db.query<{ tablename: string }>(
      `select tablename from pg_tables where schemaname = 'public'`,
    );
    expect(tables.rows.map((row) => row.tablename)).toEqual(
      expect.arrayContaining(['gov_providers', 'gov_provider_keys']),
    );
    for (const { tablename } of tables.rows) {
      const dump = JSON.stringify((await db.query(`select * from ${tablename}`)).rows);
      expect(dump, tablename).not.toContain(PROVIDER_SECRET);
      expect(dump, tablename).not.toContain(KEYS.burst);
      expect(dump, tablename).not.toContain(user);
    }
    expect(JSON.stringify((await admin(b, 'GET', '/api/providers/shared')).json)).not.toContain(
      PROVIDER_SECRET,
    );
  });

  it('follows the configured fail modes while Redis is down, never crashes, and recovers its counters', async () => {
    // Some metered spend before the outage.
    for (let index = 0; index < 4; index++)
      expect((await chat(index % 2 ? a : b, KEYS.budgetOutage)).status).toBe(200);
    await waitFor(async () => (await ledgerSpend('budget-outage')).rows === 4, 5000, 'the ledger');
    const before = await ledgerSpend('budget-outage');

    await redis.stop();
    const during = { budget: new Set<number>(), rate: new Set<number>(), codes: new Set<string>() };
    for (let index = 0; index < 30; index++) {
      const gateway = index % 2 ? a : b;
      const [budget, rate] = await Promise.all([
        chat(gateway, KEYS.budgetOutage),
        chat(gateway, KEYS.rateOutage),
      ]);
      during.budget.add(budget.status);
      during.rate.add(rate.status);
      if (budget.status !== 200)
        during.codes.add(((await budget.json()) as { error: { code: string } }).error.code);
      await rate.arrayBuffer();
    }
    // budgets: closed → 503; rate limits: open → served unmetered (30 > the limit of 20).
    expect([...during.budget]).toEqual([503]);
    expect([...during.codes]).toEqual(['governance_unavailable']);
    expect([...during.rate]).toEqual([200]);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    expect((await fetch(`${a.url}/health`)).status).toBe(200);

    await redis.start();
    await waitFor(
      async () =>
        (await chat(a, KEYS.budgetOutage)).status === 200 &&
        (await chat(b, KEYS.budgetOutage)).status === 200,
      10_000,
      'Redis to be used again',
    );
    // The budget counter was rebuilt from the ledger: the spend before the outage is still there.
    const usage = await admin(b, 'GET', '/api/usage/virtual-keys/budget-outage');
    await waitFor(
      async () => (await ledgerSpend('budget-outage')).rows === before.rows + 2,
      5000,
      'the ledger',
    );
    expect(usage.json.budgets[0].spentUsd + usage.json.budgets[0].reservedUsd).toBeGreaterThanOrEqual(
      before.usd - 1e-9,
    );
    const settled = await admin(a, 'GET', '/api/usage/virtual-keys/budget-outage');
    expect(settled.json.budgets[0].spentUsd).toBeCloseTo((await ledgerSpend('budget-outage')).usd, 9);
    // Rate limits count again: 20 a minute holds.
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, index) => chat(index % 2 ? a : b, KEYS.rateOutage)),
    );
    for (const response of burst) await response.arrayBuffer();
    expect(burst.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(8);
  });

  it('keeps serving while PostgreSQL is down (keys from memory, spend buffered), and writes the spend when it returns', async () => {
    const apiKey = (await admin(a, 'POST', '/api/virtual-keys', { name: 'api-only' })).json.value as string;
    const before = await ledgerSpend('budget-outage');
    await postgres.stop();
    for (let index = 0; index < 6; index++)
      expect((await chat(index % 2 ? a : b, KEYS.budgetOutage)).status).toBe(200);
    const write = await admin(a, 'POST', '/api/virtual-keys', { name: 'while-down' });
    expect(write.status).toBe(503);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    // A third instance starting now serves the file's keys; keys only the store knows get 503,
    // and no request gets in without a key.
    const c = await startGateway({ config, env: instanceEnv });
    try {
      // The file's key (rate limit only; its counter lives in Redis) is recognised.
      expect([200, 429]).toContain((await chat(c, KEYS.rpm)).status);
      expect((await chat(c, apiKey)).status).toBe(503);
      expect((await post(`${c.url}/v1/chat/completions`, BODY)).status).toBe(401);
      await postgres.start();
      await waitFor(
        async () => (await chat(c, apiKey)).status === 200,
        10_000,
        'the late instance to load the store',
      );
    } finally {
      await c.stop();
    }
    await waitFor(
      async () => {
        try {
          return (await ledgerSpend('budget-outage')).rows === before.rows + 6;
        } catch {
          return false;
        }
      },
      15_000,
      'the buffered spend to be written',
    );
    expect((await admin(a, 'POST', '/api/virtual-keys', { name: 'after-outage' })).status).toBe(201);
  });
});
