import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/*
 * The Responses surface to a provider that only speaks chat completions (openai, default api),
 * with the official openai SDK as the client: requests are converted to chat completions,
 * answers (recorded openai-chat traffic) are encoded as Responses objects and events, and
 * previous_response_id is served from the gateway's store.
 */
describe('Responses surface → chat-completions upstream (openai SDK)', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  let fixture: string;

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    gateway = await startTestGateway({ providers: { chat: { type: 'openai', baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-chat' }] } } });
    client = new OpenAI({ baseURL: `${gateway.url}/openai/v1`, apiKey: 'anything', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });
  beforeEach(() => {
    upstream.reset();
    upstream.on('POST', '/v1/chat/completions', () => fixtureReply(fixture, fixture.endsWith('.sse') ? { chunkSize: 29, randomChunks: true } : {}));
  });

  it('a text response', async () => {
    fixture = 'openai-chat/text.json';
    const response = await client.responses.create({ model: 'chat/gpt-4o', instructions: 'Be helpful.', input: 'What is the weather in San Francisco?', max_output_tokens: 200 });
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-4o-2024-08-06',
      instructions: 'Be helpful.',
      max_output_tokens: 200,
      store: true,
      usage: { input_tokens: 14, output_tokens: 37, total_tokens: 51, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
    });
    expect(response.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(response.output_text).toMatch(/^I'm unable to provide real-time weather updates/);
    expect(upstream.requests[0]!.json).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be helpful.' },
        { role: 'user', content: 'What is the weather in San Francisco?' },
      ],
      max_completion_tokens: 200,
    });
  });

  it('a stream through responses.stream() and finalResponse()', async () => {
    fixture = 'openai-chat/stream-text.sse';
    const stream = client.responses.stream({ model: 'chat/gpt-4o', input: 'hi' });
    let text = '';
    const types = new Set<string>();
    stream.on('response.output_text.delta', (event) => (text += event.delta));
    stream.on('event', (event) => types.add(event.type));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(text);
    expect(text.length).toBeGreaterThan(10);
    expect([...types]).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(final.usage?.input_tokens).toBeGreaterThan(0);
    expect((upstream.requests[0]!.json as { stream_options: unknown }).stream_options).toEqual({ include_usage: true });
  });

  it('parallel tool calls stream as function_call items with argument deltas', async () => {
    fixture = 'openai-chat/stream-parallel-tool-calls.sse';
    const stream = client.responses.stream({
      model: 'chat/gpt-4o',
      input: 'Weather in Edinburgh and the AAPL price?',
      tools: [
        { type: 'function', name: 'GetWeatherArgs', parameters: { type: 'object', properties: {} }, strict: false },
        { type: 'function', name: 'get_stock_price', parameters: { type: 'object', properties: {} }, strict: false },
      ],
    });
    const deltas = new Map<string, string>();
    stream.on('response.function_call_arguments.delta', (event) => deltas.set(event.item_id, (deltas.get(event.item_id) ?? '') + event.delta));
    const final = await stream.finalResponse();
    const calls = final.output.filter((item) => item.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall[];
    expect(calls.map((call) => call.name)).toEqual(['GetWeatherArgs', 'get_stock_price']);
    for (const call of calls) {
      expect(JSON.parse(call.arguments)).toBeTypeOf('object');
      expect(deltas.get(call.id!)).toBe(call.arguments);
      expect(call.call_id).toMatch(/^call_/);
    }
    const sent = upstream.requests[0]!.json as { tools: Array<{ function: { name: string; strict?: boolean } }> };
    expect(sent.tools.map((tool) => tool.function)).toEqual([
      { name: 'GetWeatherArgs', parameters: { type: 'object', properties: {} }, strict: false },
      { name: 'get_stock_price', parameters: { type: 'object', properties: {} }, strict: false },
    ]);
  });

  it('function calling round trip with previous_response_id: the chat upstream gets the whole conversation', async () => {
    fixture = 'openai-chat/tool-call.json';
    const first = await client.responses.create({
      model: 'chat/gpt-4o',
      instructions: 'You answer weather questions.',
      input: 'Weather in Edinburgh?',
      tools: [{ type: 'function', name: 'GetWeatherArgs', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
    });
    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_Y6qJ7ofLgOrBnMD5WbVAeiRV', name: 'GetWeatherArgs', status: 'completed' });
    expect(call.id).toMatch(/^fc_/);

    fixture = 'openai-chat/text.json';
    const second = await client.responses.create({
      model: 'chat/gpt-4o',
      previous_response_id: first.id,
      instructions: 'Answer in one sentence.',
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temp_c": 11}' }],
      tools: [{ type: 'function', name: 'GetWeatherArgs', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
    });
    expect(second.previous_response_id).toBe(first.id);
    expect((upstream.requests[1]!.json as { messages: unknown }).messages).toEqual([
      { role: 'system', content: 'Answer in one sentence.' },
      { role: 'user', content: 'Weather in Edinburgh?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_Y6qJ7ofLgOrBnMD5WbVAeiRV', type: 'function', function: { name: 'GetWeatherArgs', arguments: '{"city":"Edinburgh","country":"UK","units":"c"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_Y6qJ7ofLgOrBnMD5WbVAeiRV', content: '{"temp_c": 11}' },
    ]);
    const retrieved = await client.responses.retrieve(second.id);
    expect(retrieved.output_text).toBe(second.output_text);
    const items = await client.responses.inputItems.list(first.id, { order: 'asc' });
    expect(items.data).toMatchObject([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Edinburgh?' }] }]);
  });

  it('an unknown previous_response_id to a chat provider is the API error', async () => {
    await expect(client.responses.create({ model: 'chat/gpt-4o', previous_response_id: 'resp_missing', input: 'hi' })).rejects.toMatchObject({
      status: 400,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
      message: expect.stringContaining("Previous response with id 'resp_missing' not found."),
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('Responses-only parameters a chat provider cannot honour are reported as warnings', async () => {
    fixture = 'openai-chat/text.json';
    const raw = await client.responses
      .create({ model: 'chat/gpt-4o', input: 'hi', truncation: 'auto', tools: [{ type: 'web_search' }], reasoning: { summary: 'auto' } })
      .asResponse();
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-switchyard-warnings')).toContain('unsupported-parameter(truncation)');
    expect(raw.headers.get('x-switchyard-warnings')).toContain('unsupported-parameter(tools)');
    const strict = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchyard-strict': 'true' },
      body: JSON.stringify({ model: 'chat/gpt-4o', input: 'hi', truncation: 'auto' }),
    });
    expect(strict.status).toBe(400);
    expect(((await strict.json()) as { error: { code: string } }).error.code).toBe('unsupported_parameter');
  });

  it('request validation errors name the parameter', async () => {
    await expect(client.responses.create({ model: 'chat/gpt-4o', input: [{ type: 'function_call_output', output: 'x' } as never] })).rejects.toMatchObject({
      status: 400,
      param: 'input[0].call_id',
    });
    await expect(client.responses.create({ model: 'chat/gpt-4o', input: 'x', background: true })).rejects.toMatchObject({ status: 400, param: 'background' });
  });
});
