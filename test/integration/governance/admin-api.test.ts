import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminOpenApiDocument } from '../../../src/admin/openapi.js';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import type { MockUpstream } from '../../helpers/mock-upstream.js';
import { catalogFile, chatBody, post, startOpenAiMock } from './governance-setup.js';

const ADMIN = 'sy-admin-test-key';
const ENCRYPTION_KEY = 'a'.repeat(64);
const PROVIDER_SECRET = 'sk-live-provider-secret-DO-NOT-LEAK-42';
const CONFIG_KEY = 'sk-sy-config-key-0123456789abcdef';

 
type LooseJson = any;

async function admin(
  gateway: TestGateway,
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

describe('admin API', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startOpenAiMock();
    upstream.on('POST', '/admin-made/v1/chat/completions', (request) =>
      upstream['routes'].get('POST /v1/chat/completions')!(request),
    );
    gateway = await startTestGateway(
      {
        catalog: { files: [catalogFile()] },
        providers: {
          openai: {
            baseUrl: `${upstream.url}/v1`,
            keys: [{ name: 'main', value: 'sk-config-provider-key' }],
          },
        },
        teams: [{ name: 'from-file' }],
        virtualKeys: [{ name: 'config-key', value: CONFIG_KEY, team: 'from-file' }],
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN, SWITCHYARD_ENCRYPTION_KEY: ENCRYPTION_KEY } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
  });
  beforeEach(() => upstream.reset());

  it('needs the admin key, in the admin error shape', async () => {
    const response = await fetch(`${gateway.url}/api/virtual-keys`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'authentication_failed' } });
    const wrong = await fetch(`${gateway.url}/api/virtual-keys`, {
      headers: { authorization: `Bearer ${CONFIG_KEY}` },
    });
    expect(wrong.status).toBe(401);
    const unknown = await fetch(`${gateway.url}/api/nothing-here`);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves the OpenAPI document, equal to the committed docs/admin-api.openapi.json', async () => {
    const served = (await (await fetch(`${gateway.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    const committed = JSON.parse(readFileSync(path.resolve('docs/admin-api.openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
    expect(served).toEqual(adminOpenApiDocument());
    expect(Object.keys(served.paths)).toEqual(
      expect.arrayContaining([
        '/api/virtual-keys',
        '/api/providers/{id}/keys',
        '/api/budgets/{scope}/{id}',
        '/api/usage/{scope}/{id}',
      ]),
    );
  });

  it('creates a customer, team and key; the key works at once and is shown once', async () => {
    expect((await admin(gateway, 'POST', '/api/customers', { id: 'globex', name: 'Globex' })).status).toBe(
      201,
    );
    const team = await admin(gateway, 'POST', '/api/teams', {
      name: 'Platform',
      customer: 'globex',
      rateLimit: { requests: 100, per: '1m' },
    });
    expect(team.status).toBe(201);
    expect(team.json).toMatchObject({ name: 'Platform', customer: 'globex', source: 'api' });
    const created = await admin(gateway, 'POST', '/api/virtual-keys', {
      name: 'ci',
      team: team.json.id,
      budget: { usd: 5, period: '1mo', calendar: true },
    });
    expect(created.status).toBe(201);
    const secret = created.json.value as string;
    expect(secret).toMatch(/^sk-sy-[A-Za-z0-9_-]{32}$/);
    expect(created.json.keyHint).toBe(`${secret.slice(0, 8)}…${secret.slice(-4)}`);
    const read = await admin(gateway, 'GET', `/api/virtual-keys/${created.json.id}`);
    expect(JSON.stringify(read.json)).not.toContain(secret);

    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: secret, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 20,
    });
    expect(completion.choices[0]?.message.content).toBeTypeOf('string');
    const usage = await admin(gateway, 'GET', `/api/virtual-keys/${created.json.id}/usage`);
    expect(usage.json.virtualKey.budgets[0]).toMatchObject({ usd: 5, period: '1mo', calendar: true });
    expect(new Date(usage.json.virtualKey.budgets[0].resetsAt).getUTCDate()).toBe(1);
    expect(usage.json.team.rateLimits[0].requests).toMatchObject({ limit: 100 });
    expect(usage.json.customer).toMatchObject({ id: 'globex', name: 'Globex' });

    // Disable: refused at once. Enable and rotate: the old secret stops working.
    expect(
      (await admin(gateway, 'PATCH', `/api/virtual-keys/${created.json.id}`, { active: false })).json.active,
    ).toBe(false);
    expect(
      (await post(`${gateway.url}/v1/chat/completions`, chatBody(), { authorization: `Bearer ${secret}` }))
        .status,
    ).toBe(401);
    await admin(gateway, 'PATCH', `/api/virtual-keys/${created.json.id}`, { active: true });
    const rotated = await admin(gateway, 'POST', `/api/virtual-keys/${created.json.id}/rotate`);
    expect(
      (await post(`${gateway.url}/v1/chat/completions`, chatBody(), { authorization: `Bearer ${secret}` }))
        .status,
    ).toBe(401);
    expect(
      (
        await post(`${gateway.url}/v1/chat/completions`, chatBody(), {
          authorization: `Bearer ${rotated.json.value}`,
        })
      ).status,
    ).toBe(200);

    // Referenced objects cannot be deleted; deleting in order works.
    expect((await admin(gateway, 'DELETE', `/api/teams/${team.json.id}`)).status).toBe(409);
    expect((await admin(gateway, 'DELETE', `/api/virtual-keys/${created.json.id}`)).status).toBe(200);
    expect(
      (
        await post(`${gateway.url}/v1/chat/completions`, chatBody(), {
          authorization: `Bearer ${rotated.json.value}`,
        })
      ).status,
    ).toBe(401);
    expect((await admin(gateway, 'DELETE', `/api/teams/${team.json.id}`)).status).toBe(200);
  });

  it('validates bodies and references with clear 400s', async () => {
    const bad = await admin(gateway, 'POST', '/api/virtual-keys', {
      name: 'x',
      budget: { usd: 5, period: 'fortnight' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/budget\.0\.period: "fortnight" is not a period/);
    expect((await admin(gateway, 'POST', '/api/virtual-keys', { name: 'x', team: 'nope' })).status).toBe(400);
    expect(
      (await admin(gateway, 'POST', '/api/virtual-keys', { name: 'x', colour: 'red' })).json.error.message,
    ).toMatch(/colour/);
    expect((await admin(gateway, 'POST', '/api/virtual-keys', { name: 'config-key' })).status).toBe(409);
  });

  it('keeps objects from the config file read-only', async () => {
    const keys = await admin(gateway, 'GET', '/api/virtual-keys');
    const configKey = keys.json.data.find((key: { name: string }) => key.name === 'config-key');
    expect(configKey).toMatchObject({ source: 'config', team: 'from-file' });
    expect(
      (await admin(gateway, 'PATCH', `/api/virtual-keys/${configKey.id}`, { active: false })).status,
    ).toBe(409);
    expect((await admin(gateway, 'DELETE', '/api/teams/from-file')).status).toBe(409);
    expect((await admin(gateway, 'PUT', '/api/budgets/virtual-keys/config-key', { usd: 1 })).status).toBe(
      409,
    );
    expect((await admin(gateway, 'PATCH', '/api/providers/openai', { models: ['x'] })).status).toBe(409);
  });

  it('sets budgets and rate limits per scope, and lists them with their state', async () => {
    expect((await admin(gateway, 'POST', '/api/customers', { id: 'initech', name: 'Initech' })).status).toBe(
      201,
    );
    const budget = await admin(gateway, 'PUT', '/api/budgets/customers/initech', [
      { usd: 100, period: '1mo' },
      { usd: 10, period: '1d', calendar: true },
    ]);
    expect(budget.status).toBe(200);
    expect(budget.json.budgets).toHaveLength(2);
    expect(budget.json.budgets[1]).toMatchObject({ usd: 10, spentUsd: 0, remainingUsd: 10 });
    expect(
      (
        await admin(gateway, 'PUT', '/api/rate-limits/providers/openai', {
          requests: 1000,
          tokens: 1_000_000,
          per: '1m',
        })
      ).status,
    ).toBe(200);
    const budgets = await admin(gateway, 'GET', '/api/budgets');
    expect(budgets.json.data.map((entry: { id: string }) => entry.id)).toContain('initech');
    const limits = await admin(gateway, 'GET', '/api/rate-limits');
    const provider = limits.json.data.find((entry: { scope: string }) => entry.scope === 'provider');
    expect(provider.rateLimits[0].requests.limit).toBe(1000);
    const response = await post(`${gateway.url}/v1/chat/completions`, chatBody(), {
      authorization: `Bearer ${CONFIG_KEY}`,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('1000');
    expect((await admin(gateway, 'DELETE', '/api/rate-limits/providers/openai')).status).toBe(200);
    expect((await admin(gateway, 'PUT', '/api/budgets/planets/mars', { usd: 1 })).status).toBe(400);
  });

  it('creates a provider with an encrypted key that routing uses at once; the key never comes back', async () => {
    const created = await admin(gateway, 'POST', '/api/providers', {
      id: 'admin-made',
      type: 'openai',
      baseUrl: `${upstream.url}/admin-made/v1`,
      headers: { 'x-tenant': 'secret-tenant-header' },
      keys: [{ name: 'first', value: PROVIDER_SECRET }],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: 'admin-made',
      type: 'openai',
      source: 'api',
      keys: [{ name: 'first', hint: '…K-42', source: 'api' }],
    });
    expect(JSON.stringify(created.json)).not.toContain(PROVIDER_SECRET);
    expect(JSON.stringify(created.json)).not.toContain('secret-tenant-header');

    const response = await post(
      `${gateway.url}/v1/chat/completions`,
      chatBody({ model: 'admin-made/gpt-4o-mini' }),
      { authorization: `Bearer ${CONFIG_KEY}` },
    );
    expect(response.status).toBe(200);
    expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PROVIDER_SECRET}`);
    expect(upstream.requests.at(-1)?.headers['x-tenant']).toBe('secret-tenant-header');

    // A second key, then replace its value; the listing only ever shows hints.
    expect(
      (
        await admin(gateway, 'POST', '/api/providers/admin-made/keys', {
          name: 'second',
          value: 'sk-second-secret-value-9999',
          weight: 0,
        })
      ).status,
    ).toBe(201);
    const patched = await admin(gateway, 'PATCH', '/api/providers/admin-made/keys/second', {
      value: 'sk-second-secret-value-8888',
    });
    expect(patched.json.find((key: { name: string }) => key.name === 'second').hint).toBe('…8888');
    const all = await admin(gateway, 'GET', '/api/providers');
    const text = JSON.stringify(all.json);
    expect(text).not.toContain(PROVIDER_SECRET);
    expect(text).not.toContain('sk-second-secret-value');
    expect(text).not.toContain('sk-config-provider-key');
    expect(all.json.data.find((provider: { id: string }) => provider.id === 'openai').keys[0]).toMatchObject({
      name: 'main',
      hint: '…-key',
      source: 'config',
    });

    // Invalid provider entries are refused with the config file's messages.
    const invalid = await admin(gateway, 'POST', '/api/providers', { id: 'broken', type: 'no-such-type' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.message).toMatch(/unknown provider type/);
  });

  it('stores no provider key in clear text (the database file and tables, read raw)', async () => {
    const dataDir = gateway.gateway.runtime.config.dataDir;
    const files = readdirSync(dataDir).filter((file) => file.startsWith('switchyard.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(path.join(dataDir, file));
      expect(bytes.includes(Buffer.from(PROVIDER_SECRET))).toBe(false);
      expect(bytes.includes(Buffer.from('sk-second-secret-value'))).toBe(false);
      expect(bytes.includes(Buffer.from('secret-tenant-header'))).toBe(false);
      expect(bytes.includes(Buffer.from(CONFIG_KEY))).toBe(false);
    }
    const db = new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
    try {
      const tables = (
        db.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>
      ).map((row) => row.name);
      expect(tables).toEqual(
        expect.arrayContaining(['gov_providers', 'gov_provider_keys', 'gov_virtual_keys']),
      );
      for (const table of tables) {
        const dump = JSON.stringify(db.prepare(`select * from ${table}`).all());
        expect(dump).not.toContain(PROVIDER_SECRET);
        expect(dump).not.toContain('sk-second-secret-value');
        expect(dump).not.toContain(CONFIG_KEY);
      }
      const key = db.prepare(`select secret from gov_provider_keys where name = 'first'`).get() as {
        secret: string;
      };
      expect(key.secret).toMatch(/^v1:[0-9a-f]{8}:/);
    } finally {
      db.close();
    }
  });

  it('deletes an API provider, which stops routing to it', async () => {
    expect((await admin(gateway, 'DELETE', '/api/providers/admin-made')).status).toBe(200);
    const response = await post(
      `${gateway.url}/v1/chat/completions`,
      chatBody({ model: 'admin-made/gpt-4o-mini' }),
      { authorization: `Bearer ${CONFIG_KEY}` },
    );
    expect(response.status).toBe(404);
  });
});

describe('admin API without SWITCHYARD_ENCRYPTION_KEY', () => {
  it('refuses to store provider keys', async () => {
    const gateway = await startTestGateway({ providers: {} }, { env: { SWITCHYARD_ADMIN_KEY: ADMIN } });
    try {
      const response = await admin(gateway, 'POST', '/api/providers', {
        id: 'x',
        type: 'openai',
        keys: [{ name: 'k', value: 'sk-12345678' }],
      });
      expect(response.status).toBe(400);
      expect(response.json.error.message).toMatch(/SWITCHYARD_ENCRYPTION_KEY/);
    } finally {
      await gateway.close();
    }
  });
});
