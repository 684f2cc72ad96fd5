import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GovernanceData, VirtualKeyRecord } from '../../../src/governance/entities.js';
import { migratePostgres, migrateSqlite } from '../../../src/store/migrations.js';
import {
  GOVERNANCE_COMPONENT,
  GOVERNANCE_MIGRATIONS,
} from '../../../src/store/governance/governance-migrations.js';
import {
  StoreConflictError,
  type ChangeNotice,
  type GovernanceStore,
} from '../../../src/store/governance/governance-store.js';
import { PostgresGovernanceStore } from '../../../src/store/governance/postgres-governance-store.js';
import { SqliteGovernanceStore } from '../../../src/store/governance/sqlite-governance-store.js';
import { openSqlite } from '../../../src/store/sqlite-database.js';
import { createPostgresPool, type PostgresPool } from '../../../src/store/postgres-pool.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';

/*
 * The config store on SQLite and on a real PostgreSQL: migrations from empty and from the
 * previous version, writes, the config seed, the spend ledger, and (PostgreSQL) change notices.
 */

const logger = pino({ level: 'silent' });
const now = '2026-01-01T00:00:00.000Z';

function key(id: string, extra: Partial<VirtualKeyRecord> = {}): VirtualKeyRecord {
  return {
    id,
    name: id,
    keyHash: id.padEnd(64, '0'),
    keyHint: '…xx',
    active: true,
    source: 'api',
    budget: [{ usd: 5, period: '1d', calendar: false }],
    rateLimit: [],
    metadata: { owner: 'tests' },
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
}

let postgres: PostgresServer;
const pools: PostgresPool[] = [];

async function freshDatabase(): Promise<string> {
  const name = `gov_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return postgres.url.replace(/\/postgres$/, `/${name}`);
}

beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await postgres?.destroy();
});

type Backend = { name: string; open(): Promise<{ store: GovernanceStore; url?: string }> };

const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'switchyard-gov-')), 'switchyard.db');
      return { store: new SqliteGovernanceStore(openSqlite(file), { ownsDb: true }) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const url = await freshDatabase();
      const pool = createPostgresPool(url, logger);
      pools.push(pool);
      return { store: new PostgresGovernanceStore(pool, url, logger), url };
    },
  },
];

describe.each(backends)('$name config store', (backend) => {
  it('migrates from empty to the latest version, once', async () => {
    const { store } = await backend.open();
    expect(await store.migrate()).toEqual(GOVERNANCE_MIGRATIONS.map((migration) => migration.version));
    expect(await store.migrate()).toEqual([]);
    await store.close();
  });

  it('writes, reads and deletes objects, enforcing names and references', async () => {
    const { store } = await backend.open();
    await store.migrate();
    await store.put('customer', {
      id: 'c1',
      name: 'Customer',
      source: 'api',
      budget: [],
      rateLimit: [],
      metadata: {},
      createdAt: now,
      updatedAt: now,
    });
    await store.put('team', {
      id: 't1',
      name: 'Team',
      customerId: 'c1',
      source: 'api',
      budget: [],
      rateLimit: [],
      metadata: {},
      models: ['openai/*'],
      createdAt: now,
      updatedAt: now,
    });
    await store.put('virtual-key', key('k1', { teamId: 't1', expiresAt: '2030-01-01T00:00:00.000Z' }));
    await store.put(
      'virtual-key',
      key('k1', { teamId: 't1', active: false, updatedAt: '2026-02-01T00:00:00.000Z' }),
    );
    const data: GovernanceData = await store.load();
    expect(data.customers.map((customer) => customer.id)).toEqual(['c1']);
    expect(data.teams[0]).toMatchObject({ id: 't1', customerId: 'c1', models: ['openai/*'] });
    expect(data.virtualKeys).toHaveLength(1);
    expect(data.virtualKeys[0]).toMatchObject({
      id: 'k1',
      teamId: 't1',
      active: false,
      budget: [{ usd: 5, period: '1d' }],
      metadata: { owner: 'tests' },
    });
    expect(data.virtualKeys[0]!.createdAt).toBe(now);
    await expect(store.put('virtual-key', key('k2', { name: 'k1' }))).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    await expect(store.put('virtual-key', key('k3', { teamId: 'missing' }))).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    await expect(store.remove('team', ['t1'])).rejects.toBeInstanceOf(StoreConflictError);
    expect(await store.remove('virtual-key', ['k1'])).toBe(true);
    expect(await store.remove('virtual-key', ['k1'])).toBe(false);
    await store.close();
  });

  it('replaces config-declared objects on seed and leaves API objects alone', async () => {
    const { store } = await backend.open();
    await store.migrate();
    await store.put('virtual-key', key('api-key'));
    await store.seed({
      customers: [],
      teams: [],
      virtualKeys: [key('file-a', { source: 'config' }), key('file-b', { source: 'config' })],
      providerLimits: [],
    });
    await store.seed({
      customers: [],
      teams: [],
      virtualKeys: [key('file-b', { source: 'config', active: false })],
      providerLimits: [],
    });
    const keys = (await store.load()).virtualKeys;
    expect(keys.map((entry) => [entry.id, entry.source, entry.active])).toEqual([
      ['api-key', 'api', true],
      ['file-b', 'config', false],
    ]);
    // A file object named like an API object stops the seed, naming it; nothing is half-written.
    await expect(
      store.seed({
        customers: [],
        teams: [],
        virtualKeys: [key('file-c', { source: 'config', name: 'api-key' })],
        providerLimits: [],
      }),
    ).rejects.toThrow(/The config file's virtual-key "api-key" cannot be stored/);
    expect((await store.load()).virtualKeys.map((entry) => entry.id)).toEqual(['api-key', 'file-b']);
    await store.close();
  });

  it('records spend once per spend id (request ids may repeat) and sums it per subject and window', async () => {
    const { store } = await backend.open();
    await store.migrate();
    await store.appendSpend([
      {
        spendId: 's1',
        requestId: 'r1',
        at: 1000,
        virtualKeyId: 'k',
        teamId: 't',
        provider: 'openai',
        costNano: 500,
      },
      { spendId: 's2', requestId: 'r2', at: 2000, virtualKeyId: 'k', provider: 'openai', costNano: 300 },
      { spendId: 's3', requestId: 'r2', at: 5000, virtualKeyId: 'other', costNano: 7 },
    ]);
    await store.appendSpend([
      {
        spendId: 's1',
        requestId: 'r1',
        at: 1000,
        virtualKeyId: 'k',
        teamId: 't',
        provider: 'openai',
        costNano: 500,
      },
    ]);
    expect(await store.sumSpend('virtual-key', 'k', 0, 10_000)).toBe(800);
    expect(await store.sumSpend('virtual-key', 'k', 1500, 10_000)).toBe(300);
    expect(await store.sumSpend('team', 't', 0, 10_000)).toBe(500);
    expect(await store.sumSpend('provider', 'openai', 0, 10_000)).toBe(800);
    expect(await store.sumSpend('customer', 'nobody', 0, 10_000)).toBe(0);
    await store.close();
  });
});

describe('migrations from the previous version', () => {
  it('SQLite: version 1 data survives the upgrade to the latest version', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'switchyard-gov-')), 'switchyard.db');
    const db = openSqlite(file);
    expect(migrateSqlite(db, GOVERNANCE_COMPONENT, GOVERNANCE_MIGRATIONS.slice(0, 1))).toEqual([1]);
    db.prepare(
      `insert into gov_virtual_keys (id, name, key_hash, source, data, created_at, updated_at) values ('old', 'old', 'h', 'api', '{"active":true}', ?, ?)`,
    ).run(now, now);
    db.prepare(
      `insert into gov_spend (spend_id, request_id, at, virtual_key_id, cost_nano) values ('s', 'r', 1, 'old', 42)`,
    ).run();
    const store = new SqliteGovernanceStore(db, { ownsDb: true });
    expect(await store.migrate()).toEqual(
      GOVERNANCE_MIGRATIONS.slice(1).map((migration) => migration.version),
    );
    const data = await store.load();
    expect(data.virtualKeys.map((entry) => entry.id)).toEqual(['old']);
    expect(await store.sumSpend('virtual-key', 'old', 0, 10)).toBe(42);
    await store.put('provider', {
      id: 'p',
      type: 'openai',
      source: 'api',
      settings: { sealed: 'v1:x:y' },
      createdAt: now,
      updatedAt: now,
    });
    expect((await store.load()).providers.map((provider) => provider.id)).toEqual(['p']);
    await store.close();
  });

  it('PostgreSQL: version 1 data survives the upgrade to the latest version', async () => {
    const url = await freshDatabase();
    const pool = createPostgresPool(url, logger);
    pools.push(pool);
    expect(await migratePostgres(pool, GOVERNANCE_COMPONENT, GOVERNANCE_MIGRATIONS.slice(0, 1))).toEqual([1]);
    await pool.query(
      `insert into gov_virtual_keys (id, name, key_hash, source, data, created_at, updated_at) values ('old', 'old', 'h', 'api', '{"active":true}', now(), now())`,
    );
    await pool.query(
      `insert into gov_spend (spend_id, request_id, at, virtual_key_id, cost_nano) values ('s', 'r', 1, 'old', 42)`,
    );
    const store = new PostgresGovernanceStore(pool, url, logger);
    expect(await store.migrate()).toEqual(
      GOVERNANCE_MIGRATIONS.slice(1).map((migration) => migration.version),
    );
    expect((await store.load()).virtualKeys.map((entry) => entry.id)).toEqual(['old']);
    expect(await store.sumSpend('virtual-key', 'old', 0, 10)).toBe(42);
    await store.put('provider', {
      id: 'p',
      type: 'openai',
      source: 'api',
      settings: { sealed: 'v1:x:y' },
      createdAt: now,
      updatedAt: now,
    });
    expect((await store.load()).providers.map((provider) => provider.id)).toEqual(['p']);
    await store.close();
  });

  it('PostgreSQL: instances migrating at once apply each version once', async () => {
    const url = await freshDatabase();
    const stores = Array.from({ length: 4 }, () => {
      const pool = createPostgresPool(url, logger);
      pools.push(pool);
      return new PostgresGovernanceStore(pool, url, logger);
    });
    const applied = await Promise.all(stores.map((store) => store.migrate()));
    expect(applied.flat().sort()).toEqual(GOVERNANCE_MIGRATIONS.map((migration) => migration.version));
    await Promise.all(stores.map((store) => store.close()));
  });
});

describe('PostgreSQL going away mid-transaction', () => {
  it('fails the transactions in flight as "unavailable" instead of crashing the process', async () => {
    const url = await freshDatabase();
    const pool = createPostgresPool(url, logger);
    pools.push(pool);
    const store = new PostgresGovernanceStore(pool, url, logger);
    await store.migrate();
    await store.put('virtual-key', key('present'));
    // Many reads and writes in flight while the server shuts down: some are mid-transaction.
    const inFlight = Array.from({ length: 30 }, (_, index) =>
      (index % 2 === 0 ? store.load() : store.put('virtual-key', key(`k${index}`))).then(
        () => 'ok',
        (error: Error) => error.name,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 2));
    await postgres.stop();
    const outcomes = new Set(await Promise.all(inFlight));
    for (const outcome of outcomes) expect(['ok', 'StoreUnavailableError']).toContain(outcome);
    await postgres.start();
    expect((await store.load()).virtualKeys.map((entry) => entry.id)).toContain('present');
    await store.close();
  });
});

describe('PostgreSQL change notices', () => {
  it('tells other instances about a change within milliseconds, and reconnects after a restart', async () => {
    const url = await freshDatabase();
    const open = (): PostgresGovernanceStore => {
      const pool = createPostgresPool(url, logger);
      pools.push(pool);
      return new PostgresGovernanceStore(pool, url, logger);
    };
    const writer = open();
    const reader = open();
    await writer.migrate();
    const notices: ChangeNotice[] = [];
    reader.onChange((notice) => notices.push(notice));
    const own: ChangeNotice[] = [];
    writer.onChange((notice) => own.push(notice));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writer.put('virtual-key', key('noticed'));
    const deadline = Date.now() + 1000;
    while (notices.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(notices).toEqual([expect.objectContaining({ kind: 'virtual-key', key: ['noticed'] })]);
    // An instance does not hear its own changes (it has applied them already).
    expect(own).toEqual([]);

    await postgres.stop();
    await postgres.start();
    const reconnected = Date.now() + 10_000;
    while (!notices.some((notice) => notice.kind === 'seed') && Date.now() < reconnected)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(notices.some((notice) => notice.kind === 'seed')).toBe(true);
    await writer.close();
    await reader.close();
  });
});
