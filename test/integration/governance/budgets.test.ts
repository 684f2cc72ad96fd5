import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, type MockUpstream } from '../../helpers/mock-upstream.js';
import { catalogFile, chatBody, post, PRICE_PER_TOKEN, startOpenAiMock } from './governance-setup.js';

const ADMIN = 'admin-key-for-budget-tests';
const KEY = 'sk-sy-budget-key-0123456789abcdef';
const STREAM_KEY = 'sk-sy-stream-key-0123456789abcdef';
const GONE_KEY = 'sk-sy-gone-key-0123456789abcdefgh';

interface Usage {
  budgets: Array<{ spentUsd: number; reservedUsd: number; remainingUsd: number; usd: number }>;
}

/** Settlement runs after the response ends; wait until no reservation is open. */
async function settledUsage(gateway: TestGateway, keyId: string): Promise<Usage['budgets'][number]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${gateway.url}/api/virtual-keys/${keyId}/usage`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const usage = ((await response.json()) as { virtualKey: Usage }).virtualKey.budgets[0]!;
    if (usage.reservedUsd === 0) return usage;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('reservation never settled');
}

/** The reservation the gateway makes: body bytes / 3 prompt tokens plus max_tokens. */
function estimateUsd(body: string, maxTokens: number): number {
  return (Math.ceil(Buffer.byteLength(body) / 3) + maxTokens) * PRICE_PER_TOKEN;
}

describe('budgets (reserve before, settle after)', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startOpenAiMock();
    upstream.on(
      'POST',
      '/slow/v1/chat/completions',
      fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 40, chunkDelayMs: 40 }),
    );
    gateway = await startTestGateway(
      {
        catalog: { files: [catalogFile()] },
        providers: {
          openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] },
          canonical: {
            type: 'openai',
            baseUrl: `${upstream.url}/v1`,
            passthrough: false,
            keys: [{ value: 'sk-provider' }],
          },
          slow: { type: 'openai', baseUrl: `${upstream.url}/slow/v1`, keys: [{ value: 'sk-provider' }] },
        },
        virtualKeys: [
          { name: 'budget', value: KEY, budget: { usd: 0.2 } },
          { name: 'stream', value: STREAM_KEY, budget: { usd: 10, period: '1d' } },
          { name: 'gone', value: GONE_KEY, budget: { usd: 10, period: '1d', calendar: true } },
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

  it('charges the real cost and refuses once the budget is spent, before any upstream call', async () => {
    const headers = { authorization: `Bearer ${KEY}` };
    const seen: number[] = [];
    for (let index = 0; index < 4; index++) {
      const response = await post(
        `${gateway.url}/v1/chat/completions`,
        chatBody({ model: 'openai/gpt-4o-mini' }),
        headers,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-switchyard-budget-limit-usd')).toBe('0.200000');
      seen.push(Number(response.headers.get('x-switchyard-budget-remaining-usd')));
      await response.text();
      // text.json: 14 prompt + 37 completion tokens.
      const usage = await settledUsage(gateway, 'budget');
      expect(usage.spentUsd).toBeCloseTo(51 * PRICE_PER_TOKEN * (index + 1), 9);
    }
    // Remaining (after this request's reservation) goes down.
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    upstream.reset();
    for (const [model, stream] of [
      ['openai/gpt-4o-mini', false],
      ['openai/gpt-4o-mini', true],
      ['canonical/gpt-4o-mini', false],
      ['canonical/gpt-4o-mini', true],
    ] as const) {
      const refused = await post(`${gateway.url}/v1/chat/completions`, chatBody({ model, stream }), headers);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-should-retry')).toBe('false');
      const error = ((await refused.json()) as { error: { code: string; type: string; message: string } })
        .error;
      expect(error).toMatchObject({ code: 'budget_exceeded', type: 'insufficient_quota' });
      expect(error.message).toMatch(/Budget exhausted for virtual key "budget"/);
    }
    const embeddings = await post(
      `${gateway.url}/v1/embeddings`,
      JSON.stringify({ model: 'openai/text-embedding-3-small', input: 'x' }),
      headers,
    );
    expect(embeddings.status).toBe(429);
    expect(upstream.requests).toHaveLength(0);
  });

  it('charges every request even when a client reuses its x-request-id', async () => {
    const headers = { authorization: `Bearer ${STREAM_KEY}`, 'x-request-id': 'same-id-every-time' };
    const before = (await settledUsage(gateway, 'stream')).spentUsd;
    for (let index = 0; index < 3; index++) {
      const response = await post(
        `${gateway.url}/v1/chat/completions`,
        chatBody({ model: 'openai/gpt-4o-mini' }),
        headers,
      );
      expect(response.headers.get('x-request-id')).toBe('same-id-every-time');
      await response.arrayBuffer();
    }
    expect((await settledUsage(gateway, 'stream')).spentUsd - before).toBeCloseTo(
      3 * 51 * PRICE_PER_TOKEN,
      9,
    );
  });

  it('settles streams at their end, passthrough and canonical alike', async () => {
    const headers = { authorization: `Bearer ${STREAM_KEY}` };
    let expected = (await settledUsage(gateway, 'stream')).spentUsd;
    for (const model of ['openai/gpt-4o-mini', 'canonical/gpt-4o-mini']) {
      const response = await post(
        `${gateway.url}/v1/chat/completions`,
        chatBody({ model, stream: true, stream_options: { include_usage: true } }),
        headers,
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('[DONE]');
      // stream-text-with-usage.sse: 78 prompt + 9 completion tokens.
      expected += 87 * PRICE_PER_TOKEN;
      expect((await settledUsage(gateway, 'stream')).spentUsd).toBeCloseTo(expected, 9);
    }
  });

  it('settles a stream the client abandons, at the reservation (no usage arrived)', async () => {
    const body = chatBody({ model: 'slow/gpt-4o-mini', stream: true });
    const response = await post(`${gateway.url}/v1/chat/completions`, body, {
      authorization: `Bearer ${GONE_KEY}`,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    const usage = await settledUsage(gateway, 'gone');
    expect(usage.spentUsd).toBeCloseTo(estimateUsd(body, 50), 9);
    expect(usage.reservedUsd).toBe(0);
  });
});
