import { CohereClientV2, CohereError, type Cohere } from 'cohere-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { base64ToFloats } from '../../src/api/openai/embeddings.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/**
 * The official Cohere SDK (cohere-ai) against the gateway's /cohere surface: routed to an
 * OpenAI mock replaying recorded OpenAI responses (N+M), and to a Cohere mock (passthrough).
 */
describe('Cohere surface (cohere-ai SDK)', () => {
  let openai: MockUpstream;
  let cohere: MockUpstream;
  let together: MockUpstream;
  let gateway: TestGateway;
  let client: CohereClientV2;

  beforeAll(async () => {
    openai = await new MockUpstream().start();
    cohere = await new MockUpstream().start();
    together = await new MockUpstream().start();
    gateway = await startTestGateway({
      providers: {
        openai: { baseUrl: `${openai.url}/v1`, keys: [{ value: 'sk-test' }] },
        cohere: { baseUrl: cohere.url, keys: [{ value: 'co-key' }] },
        together: { baseUrl: `${together.url}/v1`, keys: [{ value: 'tg-key' }] },
      },
    });
    client = new CohereClientV2({ token: 'client-key', environment: `${gateway.url}/cohere`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([openai.stop(), cohere.stop(), together.stop()]);
  });
  beforeEach(() => {
    openai.reset();
    cohere.reset();
    together.reset();
  });

  it('chat routed to OpenAI: Cohere response shape from a recorded OpenAI answer', async () => {
    openai.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    const response = await client.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }], maxTokens: 40, p: 0.5 });
    expect(response.finishReason).toBe('COMPLETE');
    const text = response.message.content?.[0];
    expect(text?.type).toBe('text');
    expect(text?.type === 'text' && text.text.length > 0).toBe(true);
    expect(response.usage?.tokens?.inputTokens).toBeGreaterThan(0);
    expect(openai.requests[0]!.json).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      max_completion_tokens: 40,
      top_p: 0.5,
    });
    // Client keys are gateway credentials, never forwarded.
    expect(openai.requests[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('chat stream routed to OpenAI: Cohere events from a recorded OpenAI stream', async () => {
    openai.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 29, randomChunks: true }));
    const stream = await client.chatStream({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
    const types: string[] = [];
    let text = '';
    let end: Cohere.ChatMessageEndEvent | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content-delta') text += event.delta?.message?.content?.text ?? '';
      if (event.type === 'message-end') end = event;
    }
    expect(types[0]).toBe('message-start');
    expect(types).toContain('content-start');
    expect(types.at(-2)).toBe('content-end');
    expect(types.at(-1)).toBe('message-end');
    expect(text.length).toBeGreaterThan(0);
    expect(end?.delta?.finishReason).toBe('COMPLETE');
    expect(end?.delta?.usage?.tokens?.outputTokens).toBeGreaterThan(0);
    expect((openai.requests[0]!.json as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
  });

  it('tool use routed to OpenAI: parallel calls streamed as tool-call events; results go back as tool messages', async () => {
    openai.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/stream-parallel-tool-calls.sse', { chunkSize: 40, randomChunks: true }));
    const stream = await client.chatStream({
      model: 'openai/gpt-4o',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', toolPlan: 'Looking it up.', toolCalls: [{ id: 'call_0', type: 'function', function: { name: 'GetWeatherArgs', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', toolCallId: 'call_0', content: [{ type: 'document', document: { data: { temperature: '18C' } } }] },
      ],
      tools: [{ type: 'function', function: { name: 'GetWeatherArgs', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      toolChoice: 'REQUIRED',
    });
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    let finish: string | undefined;
    for await (const event of stream) {
      if (event.type === 'tool-call-start') {
        const call = event.delta?.message?.toolCalls;
        calls.set(event.index ?? 0, { id: call?.id, name: call?.function?.name, arguments: call?.function?.arguments ?? '' });
      } else if (event.type === 'tool-call-delta') {
        calls.get(event.index ?? 0)!.arguments += event.delta?.message?.toolCalls?.function?.arguments ?? '';
      } else if (event.type === 'message-end') {
        finish = event.delta?.finishReason;
      }
    }
    expect(calls.size).toBeGreaterThan(1);
    for (const call of calls.values()) {
      expect(call.id).toMatch(/^call_/);
      expect(() => JSON.parse(call.arguments)).not.toThrow();
    }
    expect(finish).toBe('TOOL_CALL');
    expect(openai.requests[0]!.json).toMatchObject({
      tool_choice: 'required',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: 'Looking it up.', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'GetWeatherArgs', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_0', content: '{"temperature":"18C"}' },
      ],
    });
  });

  it('an OpenAI stream that dies half-way ends with Cohere’s message-end ERROR and the message', async () => {
    openai.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 200, dieAfterBytes: 1100 }));
    const stream = await client.chatStream({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
    const events: Cohere.V2ChatStreamResponse[] = [];
    for await (const event of stream) events.push(event);
    expect(events.some((event) => event.type === 'content-delta')).toBe(true);
    const end = events.at(-1);
    expect(end?.type).toBe('message-end');
    if (end?.type === 'message-end') {
      expect(end.delta?.finishReason).toBe('ERROR');
      expect(end.delta?.error).toMatch(/ended|closed|connection|stream/i);
    }
  });

  it('Cohere-only documents sent to OpenAI are reported, not silently dropped', async () => {
    openai.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    const raw = await client.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], documents: ['doc text'] }).withRawResponse();
    expect(raw.rawResponse.headers.get('x-switchyard-warnings')).toContain('unsupported-parameter(documents)');
    expect((openai.requests[0]!.json as Record<string, unknown>).documents).toBeUndefined();
  });

  it('embed routed to OpenAI: float and base64 vectors from a recorded OpenAI embedding', async () => {
    openai.on('POST', '/v1/embeddings', fixtureReply('openai-embeddings/embedding-float.json'));
    const response = await client.embed({ model: 'openai/text-embedding-3-small', texts: ['hello'], inputType: 'search_query', embeddingTypes: ['float', 'base64'] });
    expect(response.embeddings.float?.[0]?.length).toBeGreaterThan(0);
    const fromBase64 = base64ToFloats(response.embeddings.base64![0]!);
    expect(fromBase64.length).toBeGreaterThan(0);
    expect(fromBase64[0]).toBeCloseTo(response.embeddings.float![0]![0]!, 6);
    expect(openai.requests[0]!.json).toMatchObject({ model: 'text-embedding-3-small', input: 'hello' });
  });

  it('an OpenAI 404 becomes the Cohere SDK’s NotFoundError', async () => {
    openai.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/error-404-model-not-found.json', { status: 404 }));
    const error = await client.chat({ model: 'openai/gpt-nope', messages: [{ role: 'user', content: 'hi' }] }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CohereError);
    expect((error as CohereError).statusCode).toBe(404);
    expect(JSON.stringify((error as CohereError).body)).toContain('does not exist');
  });

  it('chat to Cohere is passthrough: bytes forwarded with the model patched, usage read for the record', async () => {
    cohere.on('POST', '/v2/chat', fixtureReply('cohere/citations.json'));
    const raw = await client
      .chat({ model: 'cohere/command-a-03-2025', messages: [{ role: 'user', content: 'Benefits?' }], documents: [{ id: 'doc:0', data: { title: 'benefits.txt', text: 'AI provides: ...' } }] })
      .withRawResponse();
    expect(raw.rawResponse.headers.get('x-switchyard-passthrough')).toBe('true');
    expect(raw.data.message.citations).toHaveLength(3);
    expect(cohere.requests[0]!.json).toEqual({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Benefits?' }],
      documents: [{ id: 'doc:0', data: { title: 'benefits.txt', text: 'AI provides: ...' } }],
      stream: false,
    });
    expect(cohere.requests[0]!.headers.authorization).toBe('Bearer co-key');
  });

  it('chat stream to Cohere (passthrough) arrives event for event', async () => {
    cohere.on('POST', '/v2/chat', fixtureReply('cohere/stream-tool-call.sse', { chunkSize: 31, randomChunks: true }));
    const stream = await client.chatStream({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'SF?' }] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.filter((type) => type === 'tool-call-start')).toHaveLength(2);
    expect(types.at(-1)).toBe('message-end');
  });

  it('rerank to Cohere (passthrough) and to Together (Cohere-shaped /rerank), documents added by the gateway', async () => {
    cohere.on('POST', '/v2/rerank', { status: 200, body: JSON.stringify({ id: 'rr', results: [{ index: 0, relevance_score: 0.7 }], meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } } }) });
    const direct = await client.rerank({ model: 'rerank-v3.5', query: 'q', documents: ['a', 'b'], topN: 1 });
    expect(direct.results).toEqual([{ index: 0, relevanceScore: 0.7 }]);
    expect(direct.meta?.billedUnits?.searchUnits).toBe(1);

    together.on('POST', '/v1/rerank', {
      status: 200,
      body: JSON.stringify({ object: 'rerank', id: 'tg', model: 'Salesforce/Llama-Rank-V1', results: [{ index: 1, relevance_score: 0.8, document: null }], usage: { prompt_tokens: 30, completion_tokens: 0, total_tokens: 30 } }),
    });
    const routed = await client.rerank({ model: 'together/Salesforce/Llama-Rank-V1', query: 'q', documents: ['a', 'b'], topN: 1 });
    expect(routed.results).toEqual([{ index: 1, relevanceScore: 0.8 }]);
    expect(together.requests[0]!.json).toEqual({ model: 'Salesforce/Llama-Rank-V1', query: 'q', documents: ['a', 'b'], top_n: 1 });
    expect(together.requests[0]!.headers.authorization).toBe('Bearer tg-key');
  });

  it('a provider without rerank answers a clear 400 in Cohere’s error shape', async () => {
    const error = await client.rerank({ model: 'openai/gpt-4o', query: 'q', documents: ['a'] }).catch((thrown: unknown) => thrown);
    expect((error as CohereError).statusCode).toBe(400);
    expect((error as CohereError).body).toMatchObject({ code: 'not_supported' });
  });

  it('unknown /cohere paths answer in Cohere’s error shape', async () => {
    const response = await fetch(`${gateway.url}/cohere/v2/classify`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found' });
  });
});
