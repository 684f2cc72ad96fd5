import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

describe('openai sdk smoke', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', (request) =>
      (request.json as { stream?: boolean }).stream
        ? fixtureReply('openai-chat/stream-text.sse', { chunkSize: 17, randomChunks: true })
        : fixtureReply('openai-chat/text.json'),
    );
    gateway = await startTestGateway({ providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] } } });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything' });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it('answers a chat completion', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBeTypeOf('string');
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams', async () => {
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
  });
});
