import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observabilityOf } from '../../../src/observability/observability-module.js';
import { POSTGRES_CONNECTION_TIMEOUT_MS } from '../../../src/store/postgres-pool.js';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { parsePrometheusText, sampleSum } from '../../helpers/prometheus-text.js';
import { logsSettled } from '../../helpers/request-log.js';

const ADMIN = 'admin-outage-test';
const CONCURRENCY = 6;

describe('request log with PostgreSQL stopped during load', () => {
  let postgres: PostgresServer;
  let upstream: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    postgres = await startPostgres();
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', (request) =>
      (request.json as { stream?: boolean }).stream
        ? fixtureReply('openai-chat/stream-text-with-usage.sse')
        : fixtureReply('openai-chat/text.json'),
    );
    gateway = await startTestGateway(
      {
        providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] } },
        stores: { postgres: { url: postgres.url } },
        // A small memory queue, so the outage overflows it into the spool.
        observability: { logs: { queue: { maxRecords: 40, batchSize: 25, flushInterval: 20 } } },
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
    await postgres?.destroy();
  });

  /**
   * Closed-loop load from CONCURRENCY clients: request number `index` is sent while
   * `more(index)` says so. Latencies are client-side, from send to the end of the body.
   */
  async function load(
    more: (index: number) => boolean,
  ): Promise<{ ids: string[]; latencies: number[]; failures: number }> {
    const ids: string[] = [];
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (more(next)) {
          const index = next++;
          const started = performance.now();
          const response = await fetch(`${gateway.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              model: 'openai/gpt-4o-mini',
              stream: index % 3 === 0,
              messages: [{ role: 'user', content: `outage ${index}` }],
            }),
          });
          await response.text();
          latencies.push(performance.now() - started);
          if (response.status === 200) ids.push(response.headers.get('x-request-id')!);
          else failures++;
        }
      }),
    );
    return { ids, latencies, failures };
  }

  it('keeps serving, spools, then writes every record exactly once when PostgreSQL is back', async () => {
    const log = observabilityOf(gateway.gateway.runtime)!.log!;
    const before = await load((index) => index < 100);
    await logsSettled(gateway);

    // PostgreSQL goes down in the middle of the load: it is stopped after 30 requests, with
    // requests in flight and batches being written, and the load goes on until 250 more were
    // sent with it down.
    let stopping: Promise<void> | undefined;
    let down = false;
    let sentWhileDown = 0;
    const during = await load((index) => {
      if (index === 30) stopping = postgres.stop().then(() => void (down = true));
      return !down || sentWhileDown++ < 250;
    });
    await stopping;
    expect(down).toBe(true);
    // The store is off the response path: every request succeeded, and none waited on the
    // store. A request held up by it would fail (connection refused) or take up to the pool's
    // connection timeout (a store that hangs); the bound leaves a loaded CI box ample room.
    expect(during.failures).toBe(0);
    expect(during.ids.length).toBeGreaterThanOrEqual(280);
    expect(Math.max(...during.latencies)).toBeLessThan(POSTGRES_CONNECTION_TIMEOUT_MS / 2);
    const outageQuery = await fetch(`${gateway.url}/api/logs`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(outageQuery.status).toBe(503);
    expect(log.pipeline.depth).toBeGreaterThan(40);
    expect(log.pipeline.spoolBytes).toBeGreaterThan(0);
    // The scrape shows the outage: failed writes, a backlog, its age and the spool.
    const families = parsePrometheusText(await (await fetch(`${gateway.url}/metrics`)).text());
    expect(sampleSum(families, 'switchyard_log_write_failures_total')).toBeGreaterThan(0);
    expect(sampleSum(families, 'switchyard_log_queue_depth')).toBeGreaterThan(40);
    expect(sampleSum(families, 'switchyard_log_pipeline_lag_seconds')).toBeGreaterThan(0);
    expect(sampleSum(families, 'switchyard_log_spool_bytes')).toBe(log.pipeline.spoolBytes);

    await postgres.start();
    const after = await load((index) => index < 100);
    await logsSettled(gateway);
    expect(after.failures).toBe(0);
    const settled = parsePrometheusText(await (await fetch(`${gateway.url}/metrics`)).text());
    expect(sampleSum(settled, 'switchyard_log_queue_depth')).toBe(0);
    expect(sampleSum(settled, 'switchyard_log_pipeline_lag_seconds')).toBe(0);

    const sent = [...before.ids, ...during.ids, ...after.ids];
    expect(sent).toHaveLength(100 + during.latencies.length + 100);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ request_id: string; n: string }>(
        'select request_id, count(*) as n from request_logs group by request_id',
      );
      const counts = new Map(rows.map((row) => [row.request_id, Number(row.n)]));
      expect(sent.filter((id) => counts.get(id) !== 1)).toEqual([]);
      expect(counts.size).toBe(sent.length);
    } finally {
      await client.end();
    }
    expect(log.pipeline.stats.replayed).toBeGreaterThan(0);
  }, 120_000);

  it('refuses new requests with 503 while a full spool cannot take them, and recovers', async () => {
    const small = await startTestGateway(
      {
        providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] } },
        stores: { postgres: { url: postgres.url } },
        observability: { logs: { spool: { maxBytes: 8192 }, queue: { flushInterval: 10 } } },
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
    try {
      const log = observabilityOf(small.gateway.runtime)!.log!;
      const ask = (): Promise<Response> =>
        fetch(`${small.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'openai/gpt-4o-mini',
            messages: [{ role: 'user', content: 'spool' }],
          }),
        });
      await postgres.stop();
      const accepted: string[] = [];
      let refused: { status: number; body: string } | undefined;
      for (let index = 0; index < 200 && refused === undefined; index++) {
        const response = await ask();
        const body = await response.text();
        if (response.status === 200) accepted.push(response.headers.get('x-request-id')!);
        else refused = { status: response.status, body };
      }
      expect(refused?.status).toBe(503);
      expect(refused?.body).toContain('queue_full');
      expect(accepted.length).toBeGreaterThan(0);
      expect(log.pipeline.rejecting).toBe(true);
      // Refused requests were never accepted: they are not logged and do not grow the spool.
      const spoolBytes = log.pipeline.spoolBytes;
      for (let index = 0; index < 10; index++) {
        const response = await ask();
        expect(response.status).toBe(503);
        await response.text();
      }
      while (small.gateway.server.inflight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(log.pipeline.spoolBytes).toBe(spoolBytes);
      await postgres.start();
      await logsSettled(small);
      expect(log.pipeline.rejecting).toBe(false);
      expect((await ask()).status).toBe(200);
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          'select count(*) as n from request_logs where request_id = any($1)',
          [accepted],
        );
        expect(Number(rows[0]!.n)).toBe(accepted.length);
      } finally {
        await client.end();
      }
    } finally {
      await small.close();
    }
  }, 60_000);
});
