import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLogRow } from '../../../src/observability/logs/build-log-row.js';
import { LogRetention } from '../../../src/observability/logs/log-retention.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createRequestRecord } from '../../../src/pipeline/request-record.js';
import { createPostgresPool, type PostgresPool } from '../../../src/store/postgres-pool.js';
import type { LogRow } from '../../../src/store/logs/log-row.js';
import type { LogStore } from '../../../src/store/logs/log-store.js';
import { PostgresLogStore } from '../../../src/store/logs/postgres-log-store.js';
import { SqliteLogStore } from '../../../src/store/logs/sqlite-log-store.js';
import { ThreadedSqliteLogStore } from '../../../src/store/logs/threaded-sqlite-log-store.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';

const logger = createLogger({ level: 'silent', sync: true });
const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 0, 1);

interface Spec {
  index: number;
  at: number;
  key?: string;
  team?: string;
  provider?: string;
  model?: string;
  status?: number;
  totalMs?: number;
  input?: number;
  output?: number;
  cost?: number | null;
  content?: string;
}

function makeRow(spec: Spec): LogRow {
  const record = createRequestRecord(`req-${spec.index}`, 'openai', 'chat', '/v1/chat/completions');
  record.startedAt = spec.at;
  record.status = spec.status ?? 200;
  record.provider = spec.provider ?? 'openai';
  record.providerType = record.provider;
  record.model = spec.model ?? 'gpt-4o-mini';
  record.modelRequested = `${record.provider}/${record.model}`;
  record.timing = { upstreamMs: (spec.totalMs ?? 10) - 1, totalMs: spec.totalMs ?? 10, overheadMs: 1 };
  record.usage = { inputTokens: spec.input ?? 10, outputTokens: spec.output ?? 5 };
  record.costUsd = spec.cost === undefined ? 0.001 : spec.cost;
  if (spec.key !== undefined)
    record.principal = {
      virtualKeyName: spec.key,
      virtualKeyId: `id-${spec.key}`,
      ...(spec.team ? { teamId: spec.team } : {}),
    };
  if (record.status >= 400) {
    record.errorCode = 'upstream_error';
    record.errorMessage = `Provider failed for request ${spec.index}`;
  }
  record.attempts = [
    {
      provider: record.provider,
      model: record.model,
      status: record.status,
      latencyMs: 9,
      outcome: record.status < 400 ? 'success' : 'error',
      passthrough: true,
    },
  ];
  return buildLogRow(record, `log-${String(spec.index).padStart(4, '0')}`, {
    mode: spec.content === undefined ? 'off' : 'full',
    request:
      spec.content === undefined
        ? null
        : JSON.stringify({ messages: [{ role: 'user', content: spec.content }] }),
    response: null,
  });
}

/** 20 requests over 4 hours: keys a/b, teams, two models, some errors, latencies 1..20 ms. */
function sampleRows(): LogRow[] {
  const rows: LogRow[] = [];
  for (let index = 0; index < 20; index++) {
    rows.push(
      makeRow({
        index,
        at: BASE + Math.floor(index / 5) * HOUR + index * 1000,
        key: index % 2 === 0 ? 'alpha' : 'beta',
        team: index % 2 === 0 ? 'red' : 'blue',
        model: index < 12 ? 'gpt-4o-mini' : 'gpt-4.1',
        status: index % 5 === 4 ? 502 : 200,
        totalMs: index + 1,
        input: 100 + index,
        output: 10,
        cost: index === 3 ? null : 0.5,
        content: index === 7 ? 'Where is the Eiffel Tower?' : undefined,
      }),
    );
  }
  return rows;
}

const stores: Array<[string, () => Promise<{ store: LogStore; done: () => Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const store = new SqliteLogStore(path.join(mkdtempSync(path.join(tmpdir(), 'logs-')), 'logs.db'));
      return { store, done: () => store.close() };
    },
  ],
  [
    'sqlite in a worker thread',
    async () => {
      const store = new ThreadedSqliteLogStore(
        path.join(mkdtempSync(path.join(tmpdir(), 'logs-')), 'logs.db'),
      );
      return { store, done: () => store.close() };
    },
  ],
  [
    'postgres',
    async () => {
      const store = new PostgresLogStore(pool);
      await pool
        .query('drop table if exists request_logs; delete from schema_migrations where component = $1', [
          'logs',
        ])
        .catch(async () => {
          await pool.query('drop table if exists request_logs');
        });
      return { store, done: () => store.close() };
    },
  ],
];

let postgres: PostgresServer;
let pool: PostgresPool;
beforeAll(async () => {
  postgres = await startPostgres();
  pool = createPostgresPool(postgres.url, logger);
});
afterAll(async () => {
  await pool?.end();
  await postgres?.destroy();
});

describe.each(stores)('log store conformance: %s', (_name, open) => {
  let store: LogStore;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ store, done } = await open());
    await store.migrate();
    // Half as rows, half as JSON text where the store takes it (as the log pipeline hands it over).
    const rows = sampleRows();
    await store.insert(rows.slice(0, 10));
    const rest = rows.slice(10);
    if (store.insertJson === undefined) await store.insert(rest);
    else await store.insertJson(rest.map((row) => JSON.stringify(row)));
  });
  afterAll(async () => done());

  it('inserts idempotently by log id', async () => {
    await store.insert(sampleRows().slice(0, 5));
    expect(await store.count()).toBe(20);
  });

  it('filters by time, key, team, provider, model, status, latency and text', async () => {
    const ids = async (filter: Parameters<LogStore['list']>[0]): Promise<string[]> =>
      (await store.list(filter, 100)).rows.map((row) => row.requestId).sort();
    expect(await store.count({ from: BASE + HOUR, to: BASE + 2 * HOUR })).toBe(5);
    expect(await store.count({ virtualKey: 'alpha' })).toBe(10);
    expect(await store.count({ virtualKey: 'id-beta' })).toBe(10);
    expect(await store.count({ team: 'red', status: 'error' })).toBe(2);
    expect(await store.count({ provider: 'openai' })).toBe(20);
    expect(await store.count({ model: 'gpt-4.1' })).toBe(8);
    expect(await store.count({ model: 'openai/gpt-4.1' })).toBe(8);
    expect(await ids({ status: '5xx' })).toEqual(['req-14', 'req-19', 'req-4', 'req-9']);
    expect(await store.count({ status: 'success' })).toBe(16);
    expect(await store.count({ status: '200' })).toBe(16);
    expect(await store.count({ minLatencyMs: 18 })).toBe(3);
    expect(await ids({ text: 'eiffel' })).toEqual(['req-7']);
    expect(await ids({ text: 'request 19' })).toEqual(['req-19']);
    expect(await store.count({ text: '100%_' })).toBe(0);
    expect(await ids({ requestId: 'req-3' })).toEqual(['req-3']);
  });

  it('pages newest first with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await store.list({}, 6, cursor);
      seen.push(...page.rows.map((row) => row.requestId));
      if (page.nextCursor === undefined) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, index) => `req-${19 - index}`));
  });

  it('returns whole records, content included, by log id or request id', async () => {
    const byRequest = await store.get('req-7');
    expect(byRequest?.logId).toBe('log-0007');
    expect(byRequest?.requestContent).toContain('Eiffel');
    expect(byRequest?.attempts).toEqual([
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        status: 200,
        latencyMs: 9,
        outcome: 'success',
        passthrough: true,
      },
    ]);
    expect(byRequest?.costUsd).toBe(0.5);
    expect(byRequest?.stream).toBe(false);
    expect((await store.get('log-0003'))?.costUsd).toBeNull();
    expect(await store.get('nope')).toBeUndefined();
  });

  it('aggregates by group and time bucket with latency percentiles', async () => {
    const byModel = await store.aggregate({}, { groupBy: 'model' });
    const mini = byModel.find((row) => row.group === 'gpt-4o-mini')!;
    // Latencies 1..12 ms, errors at 5 and 10 ms.
    expect(mini).toMatchObject({ requests: 12, errors: 2, inputTokens: 12 * 100 + 66, outputTokens: 120 });
    expect(mini.errorRate).toBeCloseTo(2 / 12);
    expect(mini.costUsd).toBeCloseTo(11 * 0.5);
    expect(mini.latencyMs).toMatchObject({ p50: 6, p90: 11, p95: 12, p99: 12, max: 12 });
    expect(mini.latencyMs.avg).toBeCloseTo(6.5);

    const hourly = await store.aggregate({ virtualKey: 'alpha' }, { bucketMs: HOUR });
    expect(hourly.map((row) => [row.bucket - BASE, row.requests])).toEqual([
      [0, 3],
      [HOUR, 2],
      [2 * HOUR, 3],
      [3 * HOUR, 2],
    ]);
    const byTeamAndHour = await store.aggregate({}, { groupBy: 'team', bucketMs: HOUR });
    expect(byTeamAndHour).toHaveLength(8);
    expect(byTeamAndHour.reduce((sum, row) => sum + row.requests, 0)).toBe(20);
    const byStatus = await store.aggregate({}, { groupBy: 'status' });
    expect(byStatus.map((row) => [row.group, row.requests])).toEqual([
      ['200', 16],
      ['502', 4],
    ]);
  });

  it('retention removes records past the age bound', async () => {
    const retention = new LogRetention(
      store,
      { maxAgeMs: Date.now() - (BASE + 2 * HOUR), maxBytes: 2 ** 40, intervalMs: 60_000 },
      logger,
    );
    const result = await retention.run();
    expect(result).toEqual({ byAge: 10, bySize: 0 });
    expect(await store.count()).toBe(10);
    expect(await store.count({ to: BASE + 2 * HOUR })).toBe(0);
  });

  it('retention removes the oldest records past the size bound', async () => {
    const big = Array.from({ length: 300 }, (_, index) =>
      makeRow({ index: 1000 + index, at: Date.now() - 1000 + index, content: 'x'.repeat(2000) }),
    );
    await store.insert(big);
    const before = await store.sizeBytes();
    const bound = Math.floor(before / 2);
    const retention = new LogRetention(
      store,
      { maxAgeMs: 2 ** 40, maxBytes: bound, intervalMs: 60_000 },
      logger,
    );
    const { bySize } = await retention.run();
    expect(bySize).toBeGreaterThan(0);
    expect(await store.sizeBytes()).toBeLessThanOrEqual(bound);
    // Oldest first: what is left is the newest records.
    const left = (await store.list({}, 1000)).rows.map((row) => row.requestId);
    expect(left[0]).toBe('req-1299');
    expect(left).not.toContain('req-0');
    expect(left.length).toBe(await store.count());
  });
});
