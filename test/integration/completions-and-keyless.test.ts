import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/*
 * Legacy /v1/completions: forwarded to providers that have the endpoint, emulated through chat
 * (with a warning) for those that do not. There is no recorded completions traffic in the fixture
 * set, so the native case uses a body in OpenAI's documented text_completion shape.
 */

const TEXT_COMPLETION = JSON.stringify({
  id: 'cmpl-9x',
  object: 'text_completion',
  created: 1700000000,
  model: 'gpt-3.5-turbo-instruct',
  choices: [{ text: '\n\nThis is a test.', index: 0, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
});
const TEXT_COMPLETION_STREAM = [
  { choices: [{ text: 'This', index: 0, logprobs: null, finish_reason: null }] },
  { choices: [{ text: ' is', index: 0, logprobs: null, finish_reason: null }] },
  { choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'length' }] },
]
  .map((chunk) => `data: ${JSON.stringify({ id: 'cmpl-s', object: 'text_completion', created: 1, model: 'gpt-3.5-turbo-instruct', ...chunk })}\n\n`)
  .join('')
  .concat('data: [DONE]\n\n');

let upstream: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await new MockUpstream().start();
  upstream.on('POST', '/v1/completions', (request) =>
    (request.json as { stream?: boolean }).stream
      ? { headers: { 'content-type': 'text/event-stream' }, body: TEXT_COMPLETION_STREAM, chunkSize: 20 }
      : { body: TEXT_COMPLETION },
  );
  upstream.on('POST', '/openai/v1/chat/completions', (request) =>
    fixtureReply((request.json as { stream?: boolean }).stream ? 'groq/stream-tool-call.sse' : 'groq/text.json'),
  );
  upstream.on('POST', '/local/v1/chat/completions', fixtureReply('openai-chat/text.json'));
  gateway = await startTestGateway({
    providers: {
      openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'k' }] },
      groq: { baseUrl: `${upstream.url}/openai/v1`, keys: [{ value: 'g' }] },
      ollama: { baseUrl: `${upstream.url}/local/v1` },
    },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.stop();
});

describe('legacy completions', () => {
  it('forwards to a provider with the endpoint', async () => {
    const completion = await client.completions.create({ model: 'openai/gpt-3.5-turbo-instruct', prompt: 'Say this is a test' });
    expect(completion.choices[0]!.text).toBe('\n\nThis is a test.');
    expect(completion.usage?.total_tokens).toBe(12);
    let text = '';
    for await (const chunk of await client.completions.create({ model: 'openai/gpt-3.5-turbo-instruct', prompt: 'x', stream: true })) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('This is');
  });

  it('emulates completions through chat, with a warning header', async () => {
    const { data, response } = await client.completions.create({ model: 'groq/llama-3.3-70b-versatile', prompt: 'Invent a holiday' }).withResponse();
    expect(data.choices[0]!.text.length).toBeGreaterThan(20);
    expect(response.headers.get('x-switchyard-warnings')).toBe('emulated');
    expect((upstream.requests.at(-1)!.json as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'Invent a holiday' }]);
    const chunks = [];
    for await (const chunk of await client.completions.create({ model: 'groq/llama-3.3-70b-versatile', prompt: 'x', stream: true })) chunks.push(chunk);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('refuses several prompts when they would have to be emulated', async () => {
    const error = await client.completions.create({ model: 'groq/llama-3.3-70b-versatile', prompt: ['a', 'b'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('keyless local providers', () => {
  it('send no authorization header', async () => {
    await client.chat.completions.create({ model: 'ollama/llama3.2', messages: [{ role: 'user', content: 'x' }] });
    expect(upstream.requests.at(-1)!.headers.authorization).toBeUndefined();
  });
});
