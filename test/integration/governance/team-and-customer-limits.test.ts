import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import type { MockUpstream } from '../../helpers/mock-upstream.js';
import { catalogFile, chatBody, post, PRICE_PER_TOKEN, startOpenAiMock } from './governance-setup.js';

/*
 * Limits above the key: a team's budget and rate limit, and a customer's budget, are shared by
 * every key under them and refuse all of those keys once used up — in each surface's own error
 * shape, before any upstream call — while keys outside stay served. The team comes from the
 * config file; the customer, its team and its keys are made through the admin API.
 */

const ADMIN = 'admin-key-for-team-and-customer-tests';
const KEYS = {
  opsA: 'sk-sy-ops-a-0123456789abcdefghijk',
  opsB: 'sk-sy-ops-b-0123456789abcdefghijk',
  burstA: 'sk-sy-burst-a-0123456789abcdefghi',
  burstB: 'sk-sy-burst-b-0123456789abcdefghi',
  outsider: 'sk-sy-outsider-0123456789abcdefgh',
};
/** A chat answer (text.json) costs 14 + 37 tokens: two fit in $0.1, the third is refused. */
const ANSWER_USD = 51 * PRICE_PER_TOKEN;
const BUDGET_USD = 0.1;

// Error bodies differ per surface; read loosely.
type LooseJson = any;

async function admin(gateway: TestGateway, method: string, route: string, body?: unknown): Promise<LooseJson> {
  const response = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${route}`).toBeLessThan(300);
  return response.json();
}

/** The same chat request through three surfaces, all routed to the OpenAI mock. */
const SURFACES = {
  openai: (url: string, key: string) =>
    post(`${url}/v1/chat/completions`, chatBody({ model: 'openai/gpt-4o-mini' }), {
      authorization: `Bearer ${key}`,
    }),
  anthropic: (url: string, key: string) =>
    post(
      `${url}/anthropic/v1/messages`,
      JSON.stringify({ model: 'openai/gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
      { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    ),
  genai: (url: string, key: string) =>
    post(
      `${url}/genai/v1beta/models/${encodeURIComponent('openai/gpt-4o-mini')}:generateContent`,
      JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        generationConfig: { maxOutputTokens: 50 },
      }),
      { 'x-goog-api-key': key },
    ),
};

/** Settlement runs after the response ends; wait until no reservation is open. */
async function settledSpend(gateway: TestGateway, scope: string, id: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const usage = (await admin(gateway, 'GET', `/api/usage/${scope}/${id}`)) as {
      budgets: Array<{ spentUsd: number; reservedUsd: number }>;
    };
    if (usage.budgets[0]!.reservedUsd === 0) return usage.budgets[0]!.spentUsd;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('reservation never settled');
}

async function served(response: Response): Promise<void> {
  expect(response.status, await response.clone().text()).toBe(200);
  await response.arrayBuffer();
}

describe('team and customer limits', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startOpenAiMock();
    gateway = await startTestGateway(
      {
        catalog: { files: [catalogFile()] },
        providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] } },
        teams: [
          { id: 'ops', name: 'Ops', budget: { usd: BUDGET_USD, period: '1d' } },
          { id: 'burst', name: 'Burst', rateLimit: { requests: 3, per: '1m' } },
        ],
        virtualKeys: [
          // The keys' own limits are far away: only the team's can refuse.
          { name: 'ops-a', value: KEYS.opsA, team: 'ops', budget: { usd: 100 } },
          { name: 'ops-b', value: KEYS.opsB, team: 'ops' },
          { name: 'burst-a', value: KEYS.burstA, team: 'burst', rateLimit: { requests: 1000, per: '1m' } },
          { name: 'burst-b', value: KEYS.burstB, team: 'burst' },
          { name: 'outsider', value: KEYS.outsider },
        ],
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
  });
  beforeEach(() => upstream.reset());

  it("a team budget is shared by the team's keys and refuses all of them once spent", async () => {
    await served(await SURFACES.openai(gateway.url, KEYS.opsA));
    await served(await SURFACES.anthropic(gateway.url, KEYS.opsB));
    expect(await settledSpend(gateway, 'teams', 'ops')).toBeCloseTo(2 * ANSWER_USD, 9);
    upstream.reset();

    const openai = await SURFACES.openai(gateway.url, KEYS.opsB);
    expect(openai.status).toBe(429);
    expect(openai.headers.get('x-switchyard-error-code')).toBe('budget_exceeded');
    const openaiError = ((await openai.json()) as LooseJson).error;
    expect(openaiError).toMatchObject({ code: 'budget_exceeded', type: 'insufficient_quota' });
    expect(openaiError.message).toMatch(/^Budget exhausted for team "Ops": \$0\.102 spent/);

    const anthropic = await SURFACES.anthropic(gateway.url, KEYS.opsA);
    expect(anthropic.status).toBe(429);
    expect(anthropic.headers.get('x-should-retry')).toBe('false');
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { type: 'billing_error', message: expect.stringMatching(/^Budget exhausted for team "Ops"/) },
    });
    expect(upstream.requests).toHaveLength(0);

    // The team's budget, not the keys' own: ops-a has $100 of its own, and a key outside is served.
    await served(await SURFACES.openai(gateway.url, KEYS.outsider));
  });

  it("a customer budget is shared by its teams' keys and its own keys, and refuses them once spent", async () => {
    await admin(gateway, 'POST', '/api/customers', {
      id: 'acme',
      name: 'Acme',
      budget: { usd: BUDGET_USD, period: '1mo' },
    });
    await admin(gateway, 'POST', '/api/teams', { id: 'acme-dev', name: 'Acme dev', customer: 'acme' });
    const inTeam = (await admin(gateway, 'POST', '/api/virtual-keys', { name: 'acme-dev-key', team: 'acme-dev' }))
      .value as string;
    const direct = (await admin(gateway, 'POST', '/api/virtual-keys', { name: 'acme-key', customer: 'acme' }))
      .value as string;

    await served(await SURFACES.genai(gateway.url, inTeam));
    await served(await SURFACES.openai(gateway.url, direct));
    expect(await settledSpend(gateway, 'customers', 'acme')).toBeCloseTo(2 * ANSWER_USD, 9);
    upstream.reset();

    for (const key of [inTeam, direct]) {
      const genai = await SURFACES.genai(gateway.url, key);
      expect(genai.status).toBe(429);
      expect(genai.headers.get('x-switchyard-error-code')).toBe('budget_exceeded');
      expect(await genai.json()).toMatchObject({
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: expect.stringMatching(/^Budget exhausted for customer "Acme": \$0\.102 spent/),
          details: expect.arrayContaining([
            expect.objectContaining({ reason: 'BUDGET_EXCEEDED', metadata: { code: 'budget_exceeded' } }),
          ]),
        },
      });
      const openai = await SURFACES.openai(gateway.url, key);
      expect(openai.status).toBe(429);
      expect(((await openai.json()) as LooseJson).error.code).toBe('budget_exceeded');
    }
    expect(upstream.requests).toHaveLength(0);
    await served(await SURFACES.genai(gateway.url, KEYS.outsider));
  });

  it("a team rate limit counts every key of the team and refuses past its limit", async () => {
    const first = await SURFACES.openai(gateway.url, KEYS.burstA);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('3');
    await served(first);
    await served(await SURFACES.anthropic(gateway.url, KEYS.burstB));
    await served(await SURFACES.genai(gateway.url, KEYS.burstA));
    upstream.reset();

    const openai = await SURFACES.openai(gateway.url, KEYS.burstB);
    expect(openai.status).toBe(429);
    expect(Number(openai.headers.get('retry-after'))).toBeGreaterThan(0);
    const openaiError = ((await openai.json()) as LooseJson).error;
    expect(openaiError.code).toBe('rate_limited');
    expect(openaiError.message).toMatch(/^Rate limit reached for team "Burst": 3 requests per 1m0s\./);

    const anthropic = await SURFACES.anthropic(gateway.url, KEYS.burstA);
    expect(anthropic.status).toBe(429);
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.stringMatching(/^Rate limit reached for team "Burst"/) },
    });
    const genai = await SURFACES.genai(gateway.url, KEYS.burstB);
    expect(genai.status).toBe(429);
    expect(((await genai.json()) as LooseJson).error).toMatchObject({
      status: 'RESOURCE_EXHAUSTED',
      details: expect.arrayContaining([expect.objectContaining({ reason: 'RATE_LIMITED' })]),
    });
    expect(upstream.requests).toHaveLength(0);
    // burst-a's own limit (1000 a minute) is nowhere near; a key outside the team is served.
    await served(await SURFACES.openai(gateway.url, KEYS.outsider));
  });
});
