import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureReply } from '../../helpers/mock-upstream.js';
import { sseData } from '../matrix/upstream-dialects.js';
import { startMatrixGateway, type MatrixGateway } from '../matrix/matrix-gateway.js';
import { providerRow } from '../matrix/provider-table.js';

/*
 * The /litellm mount, for clients that speak to a LiteLLM proxy. LiteLLM itself is Python, so the
 * requests it composes are replayed here byte for byte as documented in its source:
 *
 * - `litellm_proxy/<model>` and `openai/<model>` with api_base=B use the OpenAI Python client:
 *   POST B/chat/completions (B is used as is when it already ends in chat/completions),
 *   B/embeddings, B/completions; model lists are GET B/v1/models (OpenAIGPTConfig.get_models).
 * - `anthropic/<model>` with api_base=B: POST B/v1/messages (appended unless B ends with it),
 *   with x-api-key and anthropic-version headers.
 *
 * Plus the official OpenAI and Anthropic SDKs given the mount as their base URL, as the
 * JavaScript clients of a LiteLLM proxy do. Each against a mock OpenAI and a mock Anthropic
 * upstream replaying recordings.
 */

const UPSTREAMS = [providerRow('openai'), providerRow('anthropic')];

let gateway: MatrixGateway;

beforeAll(async () => {
  gateway = await startMatrixGateway(UPSTREAMS);
  gateway.mocks.get('openai')!.on('POST', '/v1/embeddings', fixtureReply('openai-embeddings/embedding-float.json'));
});
afterAll(async () => {
  await gateway?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

for (const upstream of UPSTREAMS) {
  const model = `${upstream.id}/${upstream.model}`;
  const recordedText = () => upstream.upstream.recordedTurn(upstream.fixtures.text).text;
  const recordedStream = () => upstream.upstream.recordedTurn(upstream.fixtures.stream).text;

  describe(`LiteLLM's requests → ${upstream.id} upstream`, () => {
    // litellm.completion(model="litellm_proxy/...", api_base=B) for B = {gateway}/litellm, {gateway}/litellm/v1, and a full URL.
    for (const path of ['/litellm/chat/completions', '/litellm/v1/chat/completions']) {
      it(`POST ${path} (OpenAI shape), plain and streamed`, async () => {
        const messages = [{ role: 'user', content: 'What is the weather in San Francisco?' }];
        const plain = await post(path, { model, messages }, { authorization: 'Bearer sk-litellm-virtual' });
        expect(plain.status).toBe(200);
        expect(((await plain.json()) as any).choices[0].message.content).toBe(recordedText());
        const streamed = await post(path, { model, messages, stream: true, stream_options: { include_usage: true } }, { authorization: 'Bearer sk-litellm-virtual' });
        expect(streamed.headers.get('content-type')).toContain('text/event-stream');
        const chunks = sseData(await streamed.text());
        expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(recordedStream());
        expect(chunks.at(-1)!.usage.completion_tokens).toBeGreaterThan(0);
      });
    }

    // litellm.completion(model="anthropic/...", api_base={gateway}/litellm)
    it('POST /litellm/v1/messages (Anthropic shape, x-api-key), plain and streamed', async () => {
      const headers = { 'x-api-key': 'sk-litellm-virtual', 'anthropic-version': '2023-06-01' };
      const body = { model, max_tokens: 256, messages: [{ role: 'user', content: 'What is the weather in San Francisco?' }] };
      const plain = await post('/litellm/v1/messages', body, headers);
      expect(plain.status).toBe(200);
      const message = (await plain.json()) as any;
      expect(message).toMatchObject({ type: 'message', role: 'assistant' });
      expect(message.content.filter((block: any) => block.type === 'text').map((block: any) => block.text).join('')).toBe(recordedText());
      const streamed = await post('/litellm/v1/messages', { ...body, stream: true }, headers);
      const events = sseData(await streamed.text());
      expect(events[0]!.type).toBe('message_start');
      expect(events.at(-1)!.type).toBe('message_stop');
      expect(events.filter((event) => event.delta?.type === 'text_delta').map((event) => event.delta.text).join('')).toBe(recordedStream());
    });
  });

  describe(`SDKs with a LiteLLM base URL → ${upstream.id} upstream`, () => {
    it('OpenAI SDK, baseURL {gateway}/litellm: create and stream', async () => {
      const client = new OpenAI({ baseURL: `${gateway.url}/litellm`, apiKey: 'sk-litellm-virtual', maxRetries: 0 });
      const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0]!.message.content).toBe(recordedText());
      let text = '';
      for await (const chunk of await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe(recordedStream());
    });

    it('Anthropic SDK, baseURL {gateway}/litellm: create and stream', async () => {
      const client = new Anthropic({ baseURL: `${gateway.url}/litellm`, apiKey: 'sk-litellm-virtual', maxRetries: 0 });
      const message = await client.messages.create({ model, max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] });
      expect(message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('')).toBe(recordedText());
      let text = '';
      await client.messages
        .stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] })
        .on('text', (delta) => (text += delta))
        .finalMessage();
      expect(text).toBe(recordedStream());
    });
  });
}

describe('/litellm: embeddings, errors, unknown paths', () => {
  it('POST /litellm/embeddings and /litellm/v1/embeddings', async () => {
    for (const path of ['/litellm/embeddings', '/litellm/v1/embeddings']) {
      const response = await post(path, { model: 'openai/text-embedding-ada-002', input: ['hello world'], encoding_format: 'float' }, { authorization: 'Bearer sk-litellm-virtual' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as any;
      expect(body.data[0].embedding).toHaveLength(1536);
    }
  });

  it('errors answer in the shape of the route: OpenAI on OpenAI-shaped paths, Anthropic on /v1/messages', async () => {
    const openAi = await post('/litellm/chat/completions', { model: 'nobody/nothing', messages: [{ role: 'user', content: 'x' }] });
    expect(openAi.status).toBe(404);
    expect(await openAi.json()).toMatchObject({ error: { code: 'model_not_found', type: 'invalid_request_error' } });
    const anthropic = await post('/litellm/v1/messages', { model: 'nobody/nothing', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'anthropic-version': '2023-06-01' });
    expect(anthropic.status).toBe(404);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('LiteLLM’s `thinking` (extra_body) on the OpenAI-shaped route: passed to OpenAI-dialect vendors, reported as foreign by Anthropic', async () => {
    const messages = [{ role: 'user', content: 'hi' }];
    const thinking = { type: 'enabled', budget_tokens: 1024 };
    const toAnthropic = await post('/litellm/chat/completions', { model: 'anthropic/claude-sonnet-4-5', messages, thinking, max_tokens: 2048 });
    expect(toAnthropic.status).toBe(200);
    expect(toAnthropic.headers.get('x-switchyard-warnings')).toContain('thinking');
    expect((gateway.mocks.get('anthropic')!.requests.at(-1)!.json as any).thinking).toBeUndefined();
    const toOpenAi = await post('/litellm/chat/completions', { model: 'openai/gpt-4o', messages, thinking });
    expect(toOpenAi.status).toBe(200);
    expect((gateway.mocks.get('openai')!.requests.at(-1)!.json as any).thinking).toEqual(thinking);
  });

  it('unknown paths and wrong methods under the mount answer in OpenAI shape', async () => {
    const unknown = await fetch(`${gateway.url}/litellm/v1/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const wrong = await fetch(`${gateway.url}/litellm/v1/messages`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
