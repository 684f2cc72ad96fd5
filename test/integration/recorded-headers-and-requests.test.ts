import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFixture, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';
import { readOpenAiChunks, readOpenAiSseRecording } from '../helpers/openai-stream-reference.js';
import { recordedHeaders } from './recorded-headers.js';

/*
 * Recorded exchanges replayed whole: the client request as the SDK sent it, the response body
 * and the response headers the provider sent with it (`*.headers.json`). What it proves:
 * - the client gets the gateway's own headers, never the provider's: its request id, not the
 *   upstream's; rate-limit headers that describe the client's virtual key (governance), not the
 *   gateway's provider account; no CDN, CORS or server headers of the provider;
 * - an upstream that compresses its answer (the recorded embeddings came gzip-encoded) is decoded;
 * - recorded client requests reach the provider as sent, with only the model id changed;
 * - the content, finish reason and usage of the recording reach the client unchanged.
 * Each case runs on the passthrough path (`openai`, `deepseek`) and the canonical one (`*-canonical`).
 */

const VIRTUAL_KEY = 'vk-recorded-exchanges';
const REQUEST_LIMIT = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Recorded header names the gateway legitimately sends itself (with its own values). */
const OWN_HEADERS = new Set(['content-type', 'date', 'connection', 'transfer-encoding', 'cache-control', 'x-request-id']);

/** The client sees none of the provider's headers; request id and rate limits are the gateway's. */
function expectGatewayHeadersOnly(headers: Headers, recording: string): void {
  const recorded = recordedHeaders(recording);
  for (const name of Object.keys(recorded)) {
    if (OWN_HEADERS.has(name) || name.startsWith('x-ratelimit-')) continue;
    expect(headers.get(name), name).toBeNull();
  }
  expect(headers.get('content-encoding')).toBeNull();
  expect(headers.get('x-request-id')).toMatch(UUID);
  expect(headers.get('x-switchyard-processing-ms')).toMatch(/^\d+\.\d{3}$/);
  // The virtual key's request limit, never the provider account's (10000 / 3000 in the recordings).
  expect(headers.get('x-ratelimit-limit-requests')).toBe(String(REQUEST_LIMIT));
  expect(Number(headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(REQUEST_LIMIT);
  expect(headers.get('x-ratelimit-limit-tokens')).toBeNull();
  expect(headers.get('x-ratelimit-remaining-tokens')).toBeNull();
}

let upstream: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await new MockUpstream().start();
  upstream.on('POST', '/v1/chat/completions', () =>
    fixtureReply('openai-chat/stream-cached-tokens.sse', { headers: recordedHeaders('openai-chat/stream-cached-tokens.headers.json'), chunkSize: 61, randomChunks: true }),
  );
  upstream.on('POST', '/v1/embeddings', (request) =>
    (request.json as { encoding_format?: string }).encoding_format === 'base64'
      ? fixtureReply('openai-embeddings/embedding-base64.json')
      : // As recorded: gzip-encoded, with the provider's headers (content-encoding: gzip among them).
        { status: 200, headers: recordedHeaders('openai-embeddings/embedding-float.headers.json'), body: gzipSync(readFixture('openai-embeddings/embedding-float.json')), chunkSize: 1000 },
  );
  upstream.on('POST', '/deepseek/v1/chat/completions', () =>
    fixtureReply('deepseek/stream-reasoning-content.sse', { headers: recordedHeaders('deepseek/stream-reasoning-content.headers.json'), chunkSize: 47, randomChunks: true }),
  );
  const openai = { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-openai-upstream' }] };
  const deepseek = { baseUrl: `${upstream.url}/deepseek/v1`, keys: [{ value: 'sk-deepseek-upstream' }] };
  gateway = await startTestGateway({
    providers: {
      openai,
      'openai-canonical': { type: 'openai', ...openai, passthrough: false },
      deepseek,
      'deepseek-canonical': { type: 'deepseek', ...deepseek, passthrough: false },
    },
    virtualKeys: [{ name: 'recorded', value: VIRTUAL_KEY, rateLimit: { requests: REQUEST_LIMIT, per: '1m' } }],
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: VIRTUAL_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.stop();
});

beforeEach(() => upstream.reset());

describe('OpenAI chat stream with its recorded headers (openai-chat/stream-cached-tokens)', () => {
  it.each(['openai', 'openai-canonical'])('%s', async (provider) => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: `${provider}/gpt-4o-2024-08-06`, messages: [{ role: 'user', content: 'Explain structured output' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    const chunks: object[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expectGatewayHeadersOnly(response.headers, 'openai-chat/stream-cached-tokens.headers.json');
    expect(response.headers.get('x-request-id')).not.toBe(recordedHeaders('openai-chat/stream-cached-tokens.headers.json')['x-request-id']);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const recorded = readOpenAiSseRecording(readFixtureText('openai-chat/stream-cached-tokens.sse'));
    const received = readOpenAiChunks(chunks, false);
    expect(received.text).toEqual(recorded.text);
    expect(received.finish).toEqual(new Map([[0, 'length']]));
    expect(received.usage).toEqual(recorded.usage);
    expect(received.usage).toMatchObject({ prompt_tokens: 1420, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 1280 } });
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-openai-upstream');
  });
});

describe('OpenAI embeddings: recorded client requests, recorded answers and headers', () => {
  const embed = (body: Record<string, unknown>) =>
    fetch(`${gateway.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${VIRTUAL_KEY}` }, body: JSON.stringify(body) });

  it.each(['openai', 'openai-canonical'])('%s: embedding-float.request.json, answered gzip-encoded as recorded', async (provider) => {
    const request = readFixtureJson<Record<string, unknown>>('openai-embeddings/embedding-float.request.json');
    const response = await embed({ ...request, model: `${provider}/${request.model as string}` });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ embedding: number[]; index: number }>; usage: unknown };
    const recorded = readFixtureJson<{ data: Array<{ embedding: number[] }>; usage: unknown }>('openai-embeddings/embedding-float.json');
    expect(body.data[0]!.embedding).toEqual(recorded.data[0]!.embedding);
    expect(body.usage).toEqual(recorded.usage);
    expectGatewayHeadersOnly(response.headers, 'openai-embeddings/embedding-float.headers.json');
    // The provider gets what the client sent (the `user` tag included), with the configured key.
    expect(upstream.requests[0]!.json).toEqual(request);
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-openai-upstream');
  });

  it.each(['openai', 'openai-canonical'])('%s: embedding-base64.request.json', async (provider) => {
    const request = readFixtureJson<Record<string, unknown>>('openai-embeddings/embedding-base64.request.json');
    const response = await embed({ ...request, model: `${provider}/${request.model as string}` });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ embedding: string }> };
    const recorded = readFixtureJson<{ data: Array<{ embedding: string }> }>('openai-embeddings/embedding-base64.json');
    expect(body.data[0]!.embedding).toBe(recorded.data[0]!.embedding);
    expect(Buffer.from(body.data[0]!.embedding, 'base64').length).toBe(512 * 4);
    expect(upstream.requests[0]!.json).toEqual(request);
  });
});

describe('DeepSeek reasoning stream with its recorded request and headers (deepseek/stream-reasoning-content)', () => {
  it.each(['deepseek', 'deepseek-canonical'])('%s', async (provider) => {
    const request = readFixtureJson<Record<string, unknown>>('deepseek/stream-reasoning-content.request.json');
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${VIRTUAL_KEY}` },
      body: JSON.stringify({ ...request, model: `${provider}/${request.model as string}` }),
    });
    expect(response.status).toBe(200);
    // Among the provider's headers kept away: its CORS answer (access-control-allow-credentials).
    expectGatewayHeadersOnly(response.headers, 'deepseek/stream-reasoning-content.headers.json');
    const chunks = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)) as object);
    const recorded = readOpenAiSseRecording(readFixtureText('deepseek/stream-reasoning-content.sse'));
    const received = readOpenAiChunks(chunks, false);
    expect(received.reasoning).toEqual(recorded.reasoning);
    expect(received.text).toEqual(recorded.text);
    expect(received.text.get(0)).toMatch(/391/);
    expect(received.finish).toEqual(new Map([[0, 'stop']]));
    expect(received.usage).toEqual(recorded.usage);
    expect(received.usage).toMatchObject({ completion_tokens_details: { reasoning_tokens: 34 }, prompt_cache_miss_tokens: 17 });
    const sent = upstream.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-deepseek-upstream');
    // DeepSeek's `thinking` switch and the reasoning effort reach it on both paths.
    expect(sent.json).toMatchObject({ model: 'deepseek-v4-pro', reasoning_effort: 'high', thinking: { type: 'enabled' }, stream_options: { include_usage: true } });
    if (provider === 'deepseek') expect(sent.json).toEqual(request);
  });
});
