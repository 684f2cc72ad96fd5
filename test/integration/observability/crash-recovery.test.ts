import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../../helpers/gateway-process.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';

const ADMIN = 'admin-crash-test';
const WORKERS = 8;
const KILL_AFTER = 250;

interface PageBody {
  data: Array<{ requestId: string; status: number; interrupted: boolean }>;
  nextCursor: string | null;
}

async function allRecords(url: string): Promise<PageBody['data']> {
  const records: PageBody['data'] = [];
  let cursor: string | null = null;
  do {
    const response = await fetch(`${url}/api/logs?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const page = (await response.json()) as PageBody;
    records.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return records;
}

/** One request; its id when the client got a complete success, otherwise undefined. */
async function oneRequest(url: string, stream: boolean): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        stream,
        messages: [{ role: 'user', content: 'crash test' }],
      }),
    });
    const body = await response.text();
    if (response.status !== 200) return undefined;
    if (stream ? !body.includes('data: [DONE]') : !body.includes('"choices"')) return undefined;
    return response.headers.get('x-request-id') ?? undefined;
  } catch {
    return undefined;
  }
}

describe('crash safety of the request log (real process, SIGKILL under load)', () => {
  let upstream: MockUpstream;
  /** Every process started here, stopped at the end whatever happened. */
  const started: GatewayProcess[] = [];
  const start = async (options: Parameters<typeof startGateway>[0]): Promise<GatewayProcess> => {
    const process = await startGateway(options);
    started.push(process);
    return process;
  };

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', (request) =>
      (request.json as { stream?: boolean }).stream
        ? fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 64, chunkDelayMs: 1 })
        : fixtureReply('openai-chat/text.json', { delayMs: 2 }),
    );
  });
  afterAll(async () => {
    await Promise.all(started.map((process) => process.stop('SIGKILL')));
    await upstream?.stop();
  });

  it('records every request that got a success exactly once across a kill -9 and restart', async () => {
    const config = {
      providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] } },
      logging: { requests: false },
    };
    const env = { SWITCHYARD_ADMIN_KEY: ADMIN };
    const first = await start({ config, env });
    const succeeded: string[] = [];
    let stop = false;
    const workers = Array.from({ length: WORKERS }, async (_, worker) => {
      for (let iteration = 0; !stop; iteration++) {
        const id = await oneRequest(first.url, (worker + iteration) % 2 === 0);
        if (id !== undefined) succeeded.push(id);
        else if (first.child.exitCode !== null || first.child.signalCode !== null) return;
      }
    });
    while (succeeded.length < KILL_AFTER) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.stop('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await start({ config, env, dataDir: first.dataDir });
    for (let tries = 0; tries < 200; tries++) {
      const state = (await (
        await fetch(`${second.url}/api/logs/pipeline`, { headers: { authorization: `Bearer ${ADMIN}` } })
      ).json()) as { queued: number };
      if (state.queued === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const records = await allRecords(second.url);
    const counts = new Map<string, number>();
    for (const record of records) counts.set(record.requestId, (counts.get(record.requestId) ?? 0) + 1);
    const missing = succeeded.filter((id) => !counts.has(id));
    const twice = [...counts].filter(([, count]) => count > 1);
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    for (const id of succeeded) expect(records.find((record) => record.requestId === id)!.status).toBe(200);
    expect(records.length).toBeGreaterThanOrEqual(succeeded.length);
    console.log(
      `crash test: ${succeeded.length} successes before SIGKILL, ${records.length} records after restart ` +
        `(${records.filter((record) => record.interrupted).length} from write-ahead entries of requests cut by the kill)`,
    );
  }, 120_000);

  it('writes everything on a graceful shutdown and leaves no spool behind', async () => {
    const config = {
      providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] } },
      logging: { requests: false },
    };
    const env = { SWITCHYARD_ADMIN_KEY: ADMIN };
    const first = await start({ config, env });
    const ids = (
      await Promise.all(Array.from({ length: 40 }, (_, index) => oneRequest(first.url, index % 2 === 0)))
    ).filter((id) => id !== undefined);
    expect(ids).toHaveLength(40);
    expect(await first.stop('SIGTERM')).toBe(0);
    const spool = path.join(first.dataDir, 'log-spool');
    expect(readdirSync(spool).filter((name) => name.startsWith('segment-'))).toEqual([]);
    const second = await start({ config, env, dataDir: first.dataDir });
    const records = await allRecords(second.url);
    expect(records.map((record) => record.requestId).sort()).toEqual([...ids].sort());
    expect(records.every((record) => !record.interrupted)).toBe(true);
  });
});
