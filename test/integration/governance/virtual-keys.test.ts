import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import type { MockUpstream } from '../../helpers/mock-upstream.js';
import { catalogFile, chatBody, post, startOpenAiMock } from './governance-setup.js';

const TEAM_KEY = 'sk-sy-team-key-0123456789abcdef';
const LIMITED_KEY = 'sk-sy-limited-key-0123456789abcd';
const TOKENS_KEY = 'sk-sy-tokens-key-0123456789abcdef';

describe('virtual keys on the OpenAI surface', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startOpenAiMock();
    gateway = await startTestGateway(
      {
        catalog: { files: [catalogFile()] },
        providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider-secret' }] } },
        customers: [{ name: 'acme' }],
        teams: [{ name: 'research', customer: 'acme', denyModels: ['*embedding*'] }],
        virtualKeys: [
          { name: 'team-key', value: 'env.TEAM_KEY', team: 'research' },
          { name: 'chat-only', value: 'sk-sy-chat-only-0123456789abcdef', models: ['openai/gpt-4o-*'] },
          { name: 'disabled', value: 'sk-sy-disabled-0123456789abcdef', active: false },
          { name: 'expired', value: 'sk-sy-expired-0123456789abcdef', expiresAt: '2020-01-01T00:00:00Z' },
          { name: 'limited', value: 'env.LIMITED_KEY', rateLimit: { requests: 2, per: '1m' } },
          { name: 'tokens', value: TOKENS_KEY, rateLimit: { tokens: 100, per: '1m' } },
        ],
      },
      { env: { TEAM_KEY, LIMITED_KEY } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
  });
  beforeEach(() => upstream.reset());

  it('refuses requests without a key with 401 in the OpenAI shape, before any upstream call', async () => {
    const response = await post(`${gateway.url}/v1/chat/completions`, chatBody());
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { type: string; code: string; message: string } };
    expect(body.error.type).toBe('authentication_error');
    expect(body.error.code).toBe('authentication_failed');
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses an unknown key without echoing it', async () => {
    const response = await post(`${gateway.url}/v1/chat/completions`, chatBody(), {
      authorization: 'Bearer sk-sy-not-a-key-000000000000',
    });
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).not.toContain('sk-sy-not-a-key');
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([
    ['authorization', `Bearer ${TEAM_KEY}`],
    ['x-api-key', TEAM_KEY],
    ['api-key', TEAM_KEY],
    ['x-goog-api-key', TEAM_KEY],
  ])('accepts the key in %s and calls upstream with the provider key only', async (header, value) => {
    const response = await post(`${gateway.url}/v1/chat/completions`, chatBody(), { [header]: value });
    expect(response.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    const sent = upstream.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-provider-secret');
    expect(JSON.stringify(sent.headers)).not.toContain(TEAM_KEY);
    expect(sent.body).not.toContain(TEAM_KEY);
  });

  it('works through the OpenAI SDK, streaming included', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEAM_KEY, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBeTypeOf('string');
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    const refused = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'sk-sy-wrong-000000000000000000',
      maxRetries: 0,
    });
    await expect(refused.models.list()).rejects.toMatchObject({ status: 401 });
  });

  it('applies model allow and deny lists along key, team and customer', async () => {
    const chatOnly = { authorization: 'Bearer sk-sy-chat-only-0123456789abcdef' };
    expect((await post(`${gateway.url}/v1/chat/completions`, chatBody(), chatOnly)).status).toBe(200);
    const embeddings = await post(
      `${gateway.url}/v1/embeddings`,
      JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }),
      chatOnly,
    );
    expect(embeddings.status).toBe(403);
    expect(((await embeddings.json()) as { error: { code: string } }).error.code).toBe('permission_denied');
    // The team denies embeddings for every key in it.
    const teamEmbeddings = await post(
      `${gateway.url}/v1/embeddings`,
      JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }),
      {
        authorization: `Bearer ${TEAM_KEY}`,
      },
    );
    expect(teamEmbeddings.status).toBe(403);
    expect(upstream.requests).toHaveLength(1);
  });

  it('refuses disabled and expired keys', async () => {
    for (const value of ['sk-sy-disabled-0123456789abcdef', 'sk-sy-expired-0123456789abcdef']) {
      const response = await post(`${gateway.url}/v1/chat/completions`, chatBody(), {
        authorization: `Bearer ${value}`,
      });
      expect(response.status).toBe(401);
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('rate-limits with 429, retry-after and x-ratelimit headers, before any upstream call', async () => {
    const headers = { authorization: `Bearer ${LIMITED_KEY}` };
    const first = await post(`${gateway.url}/v1/chat/completions`, chatBody(), headers);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?s$/);
    expect((await post(`${gateway.url}/v1/chat/completions`, chatBody(), headers)).status).toBe(200);
    upstream.reset();
    for (const body of [chatBody(), chatBody({ stream: true })]) {
      const refused = await post(`${gateway.url}/v1/chat/completions`, body, headers);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      const error = ((await refused.json()) as { error: { type: string; code: string } }).error;
      expect(error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('counts token limits by the estimate at admission, then by the real count', async () => {
    const headers = { authorization: `Bearer ${TOKENS_KEY}` };
    const body = chatBody();
    const estimate = Math.ceil(Buffer.byteLength(body) / 3) + 50;
    const first = await post(`${gateway.url}/v1/chat/completions`, body, headers);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('100');
    // GCRA refills continuously (100 a minute): allow the one token the test's own time may add.
    expect(Number(first.headers.get('x-ratelimit-remaining-tokens')) - (100 - estimate)).toBeOneOf([0, 1]);
    await first.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Settled at 51 real tokens (text.json): the second request is admitted and sees the correction.
    const second = await post(`${gateway.url}/v1/chat/completions`, body, headers);
    expect(second.status).toBe(200);
    expect(Number(second.headers.get('x-ratelimit-remaining-tokens')) - Math.max(0, 100 - 51 - estimate)).toBeOneOf([0, 1]);
    await second.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 50));
    upstream.reset();
    const third = await post(`${gateway.url}/v1/chat/completions`, body, headers);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(upstream.requests).toHaveLength(0);
  });

  it('lists models only for a valid key', async () => {
    expect((await fetch(`${gateway.url}/v1/models`)).status).toBe(401);
    expect(
      (await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${TEAM_KEY}` } })).status,
    ).toBe(200);
  });
});

describe('auth.required without any virtual key', () => {
  it('refuses every request', async () => {
    const upstream = await startOpenAiMock();
    const gateway = await startTestGateway({
      auth: { required: true },
      providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-x' }] } },
    });
    try {
      const response = await post(`${gateway.url}/v1/chat/completions`, chatBody(), {
        authorization: 'Bearer anything',
      });
      expect(response.status).toBe(401);
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  });
});

describe('open mode (no virtual keys, auth not required)', () => {
  it('serves requests whatever key they carry', async () => {
    const upstream = await startOpenAiMock();
    const gateway = await startTestGateway({
      providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-x' }] } },
    });
    try {
      const response = await post(`${gateway.url}/v1/chat/completions`, chatBody(), {
        authorization: 'Bearer whatever',
      });
      expect(response.status).toBe(200);
      expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-x');
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  });
});
