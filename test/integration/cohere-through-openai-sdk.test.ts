import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/** OpenAI SDK → gateway (/v1) → a mock Cohere replaying recorded Cohere responses. */
describe('OpenAI surface → Cohere provider', () => {
  let cohere: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  let chatReply: string;

  beforeAll(async () => {
    cohere = await new MockUpstream().start();
    cohere.on('POST', '/v2/chat', () => fixtureReply(`cohere/${chatReply}`, chatReply.endsWith('.sse') ? { chunkSize: 23, randomChunks: true } : {}));
    cohere.on('POST', '/v2/embed', fixtureReply('cohere/embed.json'));
    gateway = await startTestGateway({ providers: { cohere: { baseUrl: cohere.url, keys: [{ value: 'co-key' }] } } });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await cohere.stop();
  });
  beforeEach(() => cohere.reset());

  it('chat: answer, usage, the upstream request and Cohere auth', async () => {
    chatReply = 'text.json';
    const { data, response } = await client.chat.completions
      .create({ model: 'command-a-03-2025', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }], max_tokens: 50 })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('The capital of France is Paris.');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 507, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 448 } });
    expect(response.headers.get('x-switchyard-provider')).toBe('cohere');
    const upstream = cohere.requests[0]!;
    expect(upstream.path).toBe('/v2/chat');
    expect(upstream.headers.authorization).toBe('Bearer co-key');
    expect(upstream.json).toEqual({
      model: 'command-a-03-2025',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      max_tokens: 50,
    });
  });

  it('streams text with usage, the upstream cut at arbitrary offsets', async () => {
    chatReply = 'stream-text.sse';
    const stream = await client.chat.completions.create({ model: 'cohere/command-a-03-2025', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('The capital of France is Paris.');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 507, completion_tokens: 10 });
    expect((cohere.requests[0]!.json as { stream?: boolean }).stream).toBe(true);
  });

  it('streams parallel tool calls with argument deltas; the tool plan arrives as content', async () => {
    chatReply = 'stream-tool-call.sse';
    const stream = await client.chat.completions.create({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Weather and sights in San Francisco?' }],
      tools: [
        { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } },
        { type: 'function', function: { name: 'cityAttractions', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      ],
      tool_choice: 'required',
      stream: true,
    });
    const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
    let content = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      content += delta?.content ?? '';
      for (const call of delta?.tool_calls ?? []) {
        calls[call.index] ??= { arguments: '' };
        if (call.id) calls[call.index]!.id = call.id;
        if (call.function?.name) calls[call.index]!.name = call.function.name;
        calls[call.index]!.arguments += call.function?.arguments ?? '';
      }
      finish ??= chunk.choices[0]?.finish_reason;
    }
    expect(calls).toEqual([
      { id: 'weather_e8p4pn45zt0t', name: 'weather', arguments: '{"location": "San Francisco"}' },
      { id: 'cityAttractions_pyxssbwnq9fq', name: 'cityAttractions', arguments: '{"city": "San Francisco"}' },
    ]);
    expect(content).toMatch(/^I will use the weather tool/);
    expect(finish).toBe('tool_calls');
    expect((cohere.requests[0]!.json as { tool_choice?: string }).tool_choice).toBe('REQUIRED');
  });

  it('multi-turn tool use goes upstream as Cohere tool_plan, tool_calls and tool messages', async () => {
    chatReply = 'text.json';
    await client.chat.completions.create({
      model: 'command-a-03-2025',
      messages: [
        { role: 'user', content: 'Weather in SF?' },
        { role: 'assistant', content: 'I will check.', tool_calls: [{ id: 'weather_1', type: 'function', function: { name: 'weather', arguments: '{"location":"SF"}' } }] },
        { role: 'tool', tool_call_id: 'weather_1', content: '18C and sunny' },
      ],
    });
    expect((cohere.requests[0]!.json as { messages: unknown[] }).messages).toEqual([
      { role: 'user', content: 'Weather in SF?' },
      { role: 'assistant', tool_plan: 'I will check.', tool_calls: [{ id: 'weather_1', type: 'function', function: { name: 'weather', arguments: '{"location":"SF"}' } }] },
      { role: 'tool', tool_call_id: 'weather_1', content: '18C and sunny' },
    ]);
  });

  it('streams reasoning as reasoning_content; reasoning_effort becomes a thinking budget (warned)', async () => {
    chatReply = 'stream-reasoning.sse';
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'command-a-reasoning-08-2025', messages: [{ role: 'user', content: '2+2?' }], stream: true, reasoning_effort: 'low' })
      .withResponse();
    let reasoning = '';
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      text += delta?.content ?? '';
    }
    expect(reasoning).toMatch(/^The user is asking for the sum of 2 and 2/);
    expect(text).toBe('The answer to 2 + 2 is 4.');
    expect((cohere.requests[0]!.json as { thinking?: unknown }).thinking).toEqual({ type: 'enabled', token_budget: 2048 });
    expect(response.headers.get('x-switchyard-warnings')).toContain('lossy-conversion(reasoning_effort)');
  });

  it('embeddings: floats from Cohere, base64 for the SDK, input_type passed through', async () => {
    const result = await client.embeddings.create({ model: 'embed-v4.0', input: ['sunny day at the beach', 'rainy day in the city'], input_type: 'search_query' } as OpenAI.EmbeddingCreateParams);
    expect(result.data).toHaveLength(2);
    expect(result.data[0]!.embedding[3]).toBe(-0.0625);
    expect(result.data[1]!.embedding[0]).toBeCloseTo(-0.04660034, 6);
    expect(result.usage.prompt_tokens).toBe(10);
    expect(cohere.requests[0]!.json).toMatchObject({ model: 'embed-v4.0', input_type: 'search_query', embedding_types: ['float'] });
  });

  it('a recorded Cohere 404 becomes the SDK’s NotFoundError with Cohere’s message', async () => {
    cohere.on('POST', '/v2/embed', fixtureReply('cohere/error-404-embed-model-not-found.json', { status: 404 }));
    try {
      const error = await client.embeddings.create({ model: 'cohere/nonexistent', input: 'x' }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toContain("model 'nonexistent' not found");
    } finally {
      cohere.on('POST', '/v2/embed', fixtureReply('cohere/embed.json'));
    }
  });

  it('a Cohere 429 is a RateLimitError with the reset time in retry-after', async () => {
    cohere.on('POST', '/v2/chat', { status: 429, headers: { 'retry-after': '7' }, body: JSON.stringify({ id: 'x', message: 'You are using a Trial key, which is limited to 10 API calls / minute.' }) });
    try {
      const error = await client.chat.completions.create({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7');
    } finally {
      cohere.on('POST', '/v2/chat', () => fixtureReply(`cohere/${chatReply}`));
    }
  });

  it('rerank on /v1/rerank (Cohere/Jina shape) with documents returned by the gateway', async () => {
    cohere.on('POST', '/v2/rerank', { status: 200, body: JSON.stringify({ id: 'rr-1', results: [{ index: 1, relevance_score: 0.9 }, { index: 0, relevance_score: 0.1 }], meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } } }) });
    const response = await fetch(`${gateway.url}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rerank-v3.5', query: 'capital of the US', documents: ['Carson City', { text: 'Washington, D.C.' }], top_n: 2, return_documents: true }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'rr-1',
      object: 'rerank',
      model: 'rerank-v3.5',
      results: [
        { index: 1, relevance_score: 0.9, document: { text: 'Washington, D.C.' } },
        { index: 0, relevance_score: 0.1, document: { text: 'Carson City' } },
      ],
      usage: { search_units: 1 },
      meta: { billed_units: { search_units: 1 } },
    });
    expect(cohere.requests.at(-1)!.json).toEqual({ model: 'rerank-v3.5', query: 'capital of the US', documents: ['Carson City', 'Washington, D.C.'], top_n: 2 });
  });

  it('a Cohere stream that dies half-way ends in an error the SDK raises, after the text already sent', async () => {
    cohere.on('POST', '/v2/chat', fixtureReply('cohere/stream-text.sse', { chunkSize: 100, dieAfterBytes: 700 }));
    try {
      const stream = await client.chat.completions.create({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }], stream: true });
      let text = '';
      const error = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(text.length).toBeGreaterThan(0);
      expect('The capital of France is Paris.'.startsWith(text)).toBe(true);
    } finally {
      cohere.on('POST', '/v2/chat', () => fixtureReply(`cohere/${chatReply}`));
    }
  });

  it('a client that leaves mid-stream closes the upstream connection', async () => {
    chatReply = 'stream-reasoning.sse';
    cohere.on('POST', '/v2/chat', fixtureReply('cohere/stream-reasoning.sse', { chunkSize: 200, chunkDelayMs: 20 }));
    try {
      const controller = new AbortController();
      const stream = await client.chat.completions.create({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal });
      let seen = 0;
      // The SDK ends the iteration quietly on abort (or throws an abort error, by version).
      await (async () => {
        for await (const _chunk of stream) {
          if (++seen < 2) continue;
          controller.abort();
          break;
        }
      })().catch(() => undefined);
      expect(seen).toBe(2);
      await expect.poll(() => cohere.abortedResponses, { timeout: 5000 }).toBe(1);
    } finally {
      cohere.on('POST', '/v2/chat', () => fixtureReply(`cohere/${chatReply}`));
    }
  });
});
