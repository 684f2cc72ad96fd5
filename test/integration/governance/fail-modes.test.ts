import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import type { MockUpstream } from '../../helpers/mock-upstream.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { catalogFile, chatBody, post, PRICE_PER_TOKEN, startOpenAiMock } from './governance-setup.js';
import { waitFor } from '../../helpers/wait-for.js';

/*
 * The fail modes the multi-instance test does not cover: `budgets: open` and
 * `rateLimits: closed` (it runs the defaults, budgets closed and rate limits open). A gateway
 * keeps its counters in a real redis-server, which is stopped half-way: a key with only a
 * budget is served unmetered, a key with a rate limit is refused with 503, and once Redis is
 * back the spend made during the outage (in the ledger) counts against the budget.
 */

const ADMIN = 'admin-key-for-fail-mode-tests';
const KEYS = {
  budget: 'sk-sy-open-budget-0123456789abcd',
  rate: 'sk-sy-closed-rate-0123456789abcd',
  both: 'sk-sy-budget-and-rate-0123456789',
};
/** A chat answer (text.json) costs 14 + 37 tokens. */
const ANSWER_USD = 51 * PRICE_PER_TOKEN;
const BODY = chatBody({ model: 'openai/gpt-4o-mini' });

type LooseJson = any;


describe('governance.onStoreFailure: budgets open, rate limits closed', () => {
  let redis: RedisServer;
  let upstream: MockUpstream;
  let gateway: TestGateway;

  const chat = (key: string): Promise<Response> =>
    post(`${gateway.url}/v1/chat/completions`, BODY, { authorization: `Bearer ${key}` });

  beforeAll(async () => {
    redis = await startRedis();
    upstream = await startOpenAiMock();
    gateway = await startTestGateway(
      {
        stores: { redis: { url: redis.url } },
        catalog: { files: [catalogFile()] },
        providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] } },
        governance: { onStoreFailure: { budgets: 'open', rateLimits: 'closed' } },
        virtualKeys: [
          { name: 'budget', value: KEYS.budget, budget: { usd: 0.1, period: '1d' } },
          { name: 'rate', value: KEYS.rate, rateLimit: { requests: 100, per: '1m' } },
          {
            name: 'both',
            value: KEYS.both,
            budget: { usd: 100, period: '1d' },
            rateLimit: { requests: 100, per: '1m' },
          },
        ],
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
  }, 30_000);
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
    await redis?.stop();
  });

  it('serves budget-only keys unmetered and refuses rate-limited keys while Redis is down, then meters again', async () => {
    // Metered before the outage.
    const before = await chat(KEYS.budget);
    expect(before.status).toBe(200);
    expect(before.headers.get('x-switchyard-budget-limit-usd')).toBe('0.100000');
    await before.arrayBuffer();
    expect((await chat(KEYS.rate)).status).toBe(200);

    await redis.stop();
    upstream.reset();
    // budgets: open → served without counters, past the budget ($0.1 is two answers).
    for (let index = 0; index < 4; index++) {
      const response = await chat(KEYS.budget);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-switchyard-budget-limit-usd')).toBeNull();
      await response.arrayBuffer();
    }
    expect(upstream.requests).toHaveLength(4);
    // rateLimits: closed → 503 in the surface's shape, and nothing sent upstream; a key with
    // both kinds of limit is refused (one closed limit is enough).
    for (const key of [KEYS.rate, KEYS.both]) {
      const refused = await chat(key);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('x-switchyard-error-code')).toBe('governance_unavailable');
      expect(refused.headers.get('retry-after')).toBe('1');
      const error = ((await refused.json()) as LooseJson).error;
      expect(error.code).toBe('governance_unavailable');
      expect(error.message).toMatch(
        /^Redis \(budget and rate-limit counters\) is unavailable and governance\.onStoreFailure says "closed"/,
      );
    }
    const anthropic = await post(
      `${gateway.url}/anthropic/v1/messages`,
      JSON.stringify({ model: 'openai/gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
      { 'x-api-key': KEYS.rate, 'anthropic-version': '2023-06-01' },
    );
    expect(anthropic.status).toBe(503);
    expect(((await anthropic.json()) as LooseJson).type).toBe('error');
    expect(upstream.requests).toHaveLength(4);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);

    await redis.start();
    await waitFor(
      async () => {
        const response = await chat(KEYS.rate);
        await response.arrayBuffer();
        return response.status === 200;
      },
      15_000,
      'Redis to be used again',
    );
    // The spend of the outage was written to the ledger: the budget counter starts from it and
    // the key is refused now.
    const refused = await chat(KEYS.budget);
    expect(refused.status).toBe(429);
    const error = ((await refused.json()) as LooseJson).error;
    expect(error.code).toBe('budget_exceeded');
    expect(error.message).toMatch(/^Budget exhausted for virtual key "budget": \$0\.255 spent/);
    const usage = await fetch(`${gateway.url}/api/usage/virtual-keys/budget`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(((await usage.json()) as LooseJson).budgets[0].spentUsd).toBeCloseTo(5 * ANSWER_USD, 9);
  }, 30_000);
});
