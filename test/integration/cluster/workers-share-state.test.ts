import Database from 'better-sqlite3';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../../helpers/gateway-process.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { catalogFile, chatBody, PRICE_PER_TOKEN } from '../governance/governance-setup.js';
import { waitFor } from '../../helpers/wait-for.js';

/*
 * The real gateway with `--workers 2` and no Redis: the counters live in the cluster primary,
 * so limits and budgets hold for the whole gateway, not per worker; /metrics answers for every
 * worker; the request log has one record per request. Every request below opens a connection
 * of its own, so the primary hands them to both workers. Needs `npm run build` first.
 */

const ADMIN = 'sy-admin-cluster-test';
const KEYS = {
  rpm: 'sk-sy-cluster-rpm-0123456789abcdef',
  burst: 'sk-sy-cluster-burst-0123456789abcd',
  plain: 'sk-sy-cluster-plain-0123456789abcd',
  late: 'sk-sy-cluster-late-0123456789abcde',
};
const BURST_BUDGET_USD = 0.5;
const BODY = chatBody({ model: 'openai/gpt-4o-mini' });

let upstream: MockUpstream;
let gateway: GatewayProcess;
/** Chat requests sent to the gateway by this file (every one must be logged and counted once). */
let chatsSent = 0;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a connection of its own (no keep-alive agent), as separate clients would. */
function send(method: string, route: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${gateway.url}${route}`,
      {
        method,
        agent: false,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function chat(key: string): Promise<Reply> {
  chatsSent++;
  return send('POST', '/v1/chat/completions', BODY, { authorization: `Bearer ${key}` });
}

function admin(method: string, route: string, body?: unknown): Promise<Reply> {
  return send(method, route, body === undefined ? undefined : JSON.stringify(body), {
    authorization: `Bearer ${ADMIN}`,
  });
}


function query<T>(file: string, sql: string, ...params: unknown[]): T {
  const db = new Database(path.join(gateway.dataDir, file), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

/** Sum of a Prometheus counter's samples whose labels include every pair in `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`)))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

beforeAll(async () => {
  upstream = await new MockUpstream().start();
  upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json', { delayMs: 20 }));
  gateway = await startGateway({
    args: ['--workers', '2'],
    env: {
      SWITCHYARD_ADMIN_KEY: ADMIN,
      RPM_KEY: KEYS.rpm,
      BURST_KEY: KEYS.burst,
      PLAIN_KEY: KEYS.plain,
    },
    config: {
      logging: { level: 'warn', requests: false },
      catalog: { files: [catalogFile()] },
      providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] } },
      virtualKeys: [
        { name: 'rpm', value: 'env.RPM_KEY', rateLimit: { requests: 60, per: '1m' } },
        { name: 'burst', value: 'env.BURST_KEY', budget: { usd: BURST_BUDGET_USD, period: '1d' } },
        { name: 'plain', value: 'env.PLAIN_KEY' },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await upstream?.stop();
});

describe('--workers 2 without Redis', () => {
  it('hands separate connections to both workers', async () => {
    // The gateway prints its address when the first worker listens; the second follows.
    const pids = new Set<number>();
    for (let attempt = 0; attempt < 100 && pids.size < 2; attempt++) {
      pids.add((JSON.parse((await send('GET', '/health')).body) as { pid: number }).pid);
      if (pids.size < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(pids.size).toBe(2);
  });

  it('holds a requests-per-minute limit across both workers', async () => {
    const replies = await Promise.all(Array.from({ length: 150 }, () => chat(KEYS.rpm)));
    const served = replies.filter((reply) => reply.status === 200).length;
    const refused = replies.filter((reply) => reply.status === 429);
    // 60 a minute, GCRA: the full 60 at once, plus at most the few that refill during the test.
    // Counted per worker it would be about 120.
    expect(served).toBeGreaterThanOrEqual(60);
    expect(served).toBeLessThanOrEqual(63);
    expect(refused.length).toBe(150 - served);
    expect(JSON.parse(refused[0]!.body).error.code).toBe('rate_limited');
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('never overspends a small budget by more than one reservation under concurrent bursts', async () => {
    const before = upstream.count('POST', '/v1/chat/completions');
    const statuses: number[] = [];
    for (let wave = 0; wave < 6; wave++) {
      const replies = await Promise.all(Array.from({ length: 100 }, () => chat(KEYS.burst)));
      for (const reply of replies) {
        statuses.push(reply.status);
        if (reply.status !== 200) expect(JSON.parse(reply.body).error.code).toBe('budget_exceeded');
      }
      if (replies.every((reply) => reply.status === 429)) break;
    }
    const served = statuses.filter((status) => status === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect(upstream.count('POST', '/v1/chat/completions') - before).toBe(served);
    // One reservation: (body bytes / 3) prompt tokens + max_tokens 50, at $0.001 a token.
    const reservation = (Math.ceil(Buffer.byteLength(BODY) / 3) + 50) * PRICE_PER_TOKEN;
    const spend = (): { nano: number; rows: number } =>
      query(
        'switchyard.db',
        'select coalesce(sum(cost_nano), 0) as nano, count(*) as rows from gov_spend where virtual_key_id = ?',
        'burst',
      );
    await waitFor(() => spend().rows === served, 10_000, 'the spend ledger');
    const usd = spend().nano / 1e9;
    expect(usd).toBeCloseTo(served * 51 * PRICE_PER_TOKEN, 9);
    expect(usd).toBeLessThanOrEqual(BURST_BUDGET_USD + reservation + 1e-9);
    expect(usd).toBeGreaterThan(BURST_BUDGET_USD - reservation);
    // The usage view (through whichever worker answers) reads the same shared counters.
    const usage = JSON.parse((await admin('GET', '/api/virtual-keys/burst/usage')).body);
    expect(JSON.stringify(usage)).toContain('"reserved');
  });

  it('makes a key created through one worker usable through every worker at once', async () => {
    const created = await admin('POST', '/api/virtual-keys', { name: 'late', value: KEYS.late });
    expect(created.status).toBe(201);
    // Within a second, every fresh connection (either worker) accepts it.
    await waitFor(
      async () => {
        const replies = await Promise.all(Array.from({ length: 6 }, () => chat(KEYS.late)));
        return replies.every((reply) => reply.status === 200);
      },
      1000,
      'both workers to accept the new key',
    );
  });

  it('counts every request once in /metrics, whichever worker is scraped, and logs each once', async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, () => chat(KEYS.plain)));
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    const ok = upstream.count('POST', '/v1/chat/completions');
    // Several scrapes, each on a new connection, so both workers answer some of them.
    for (let scrape = 0; scrape < 4; scrape++) {
      const text = (await send('GET', '/metrics')).body;
      expect(sample(text, 'switchyard_requests_total', { operation: 'chat' })).toBe(chatsSent);
      expect(sample(text, 'switchyard_requests_total', { operation: 'chat', status: '200' })).toBe(ok);
      expect(sample(text, 'switchyard_upstream_attempts_total')).toBe(ok);
      expect(sample(text, 'switchyard_build_info')).toBe(1);
    }
    const logged = (): { rows: number; ids: number } =>
      query(
        'logs.db',
        "select count(*) as rows, count(distinct log_id) as ids from request_logs where operation = 'chat'",
      );
    await waitFor(() => logged().rows >= chatsSent, 10_000, 'the request log');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logged()).toEqual({ rows: chatsSent, ids: chatsSent });
  });
});
