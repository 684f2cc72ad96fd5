import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/pipeline/request-record.js';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream, type MockReply, type RecordedRequest } from '../helpers/mock-upstream.js';

/*
 * The official Anthropic SDK as a real client of the gateway, against (a) a mock Anthropic API
 * replaying recorded fixtures — by passthrough and through the canonical model — and (b) a mock
 * OpenAI API replaying openai-chat recordings; and the OpenAI SDK against the mock Anthropic API.
 * Which recording the mock plays is named in the request ("fixture:<file>").
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- recorded JSON is read loosely in assertions
type Json = Record<string, any>;

const FIXTURE = /fixture:([\w.-]+)/;

function fixtureNamed(request: RecordedRequest, folder: string, fallback: string): string {
  const name = FIXTURE.exec(request.body)?.[1] ?? fallback;
  return `${folder}/${name}`;
}

function anthropicReply(request: RecordedRequest): MockReply {
  const body = request.json as Json;
  const named = FIXTURE.exec(request.body)?.[1];
  if (named === 'error-429') {
    return { status: 429, headers: { 'retry-after': '7', 'x-should-retry': 'true' }, body: JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }) };
  }
  if (named === 'error-529') return { status: 529, body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) };
  if (named === 'mid-stream-error') {
    const head = readFixtureText('anthropic-messages/stream-text-minimal.sse').split('event: content_block_stop')[0]!;
    return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: `${head}event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"}}\n\n` };
  }
  if (named?.startsWith('error-')) {
    const status = Number(named.slice(6, 9));
    return fixtureReply(`anthropic-messages/${named}`, { status });
  }
  const name = fixtureNamed(request, 'anthropic-messages', body.stream ? 'stream-text.sse' : 'text.json');
  return fixtureReply(name, name.endsWith('.sse') ? { chunkSize: 61, randomChunks: true } : {});
}

describe('Anthropic SDK → gateway', () => {
  let anthropicMock: MockUpstream;
  let openaiMock: MockUpstream;
  let gateway: TestGateway;
  let client: Anthropic;
  const records: RequestRecord[] = [];

  beforeAll(async () => {
    anthropicMock = await new MockUpstream().start();
    anthropicMock.on('POST', '/v1/messages', anthropicReply);
    anthropicMock.on('POST', '/v1/messages/count_tokens', { status: 200, body: JSON.stringify({ input_tokens: 42 }) });
    openaiMock = await new MockUpstream().start();
    openaiMock.on('POST', '/v1/chat/completions', (request) => {
      const body = request.json as Json;
      const name = fixtureNamed(request, 'openai-chat', body.stream ? 'stream-text-with-usage.sse' : 'text.json');
      return fixtureReply(name, name.endsWith('.sse') ? { chunkSize: 53, randomChunks: true } : {});
    });
    gateway = await startTestGateway({
      providers: {
        anthropic: { baseUrl: anthropicMock.url, keys: [{ value: 'sk-ant-upstream' }], betas: ['configured-beta-2025-01-01'] },
        canonical: { type: 'anthropic', baseUrl: anthropicMock.url, passthrough: false, keys: [{ value: 'sk-ant-upstream' }] },
        openai: { baseUrl: `${openaiMock.url}/v1`, keys: [{ value: 'sk-openai-upstream' }] },
        down: { type: 'anthropic', baseUrl: 'http://127.0.0.1:9', keys: [{ value: 'sk-ant-x' }] },
      },
    });
    gateway.gateway.runtime.hooks.complete.push((record) => records.push(record));
    client = new Anthropic({ baseURL: `${gateway.url}/anthropic`, apiKey: 'client-virtual-key', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await anthropicMock.stop();
    await openaiMock.stop();
  });
  beforeEach(() => {
    anthropicMock.reset();
    openaiMock.reset();
    records.length = 0;
  });

  const ask = (text: string) => [{ role: 'user' as const, content: text }];
  const lastRecord = async (): Promise<RequestRecord> => {
    for (let i = 0; i < 50 && records.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return records.at(-1)!;
  };

  describe('(a) Anthropic upstream, passthrough', () => {
    it('messages.create forwards the bytes, with the gateway key, version, betas and the model patched', async () => {
      const { data, response } = await client.messages
        .create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 100, messages: ask('hi fixture:text.json') }, { headers: { 'anthropic-beta': 'client-beta-2025-02-02' } })
        .withResponse();
      expect(data).toEqual(readFixtureJson('anthropic-messages/text.json'));
      expect(response.headers.get('x-switchyard-passthrough')).toBe('true');
      const upstream = anthropicMock.requests[0]!;
      expect(upstream.headers['x-api-key']).toBe('sk-ant-upstream');
      expect(upstream.headers['anthropic-version']).toBe('2023-06-01');
      expect(upstream.headers['anthropic-beta']).toBe('configured-beta-2025-01-01,client-beta-2025-02-02');
      expect(upstream.headers.authorization).toBeUndefined();
      expect((upstream.json as Json).model).toBe('claude-sonnet-4-5');
      expect((await lastRecord()).usage).toMatchObject({ inputTokens: 12, outputTokens: 29 });
    });

    it('messages.stream().finalMessage() over a recorded thinking stream; usage read by the side parser', async () => {
      const message = await client.messages
        .stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: ask('fixture:stream-thinking.sse') })
        .finalMessage();
      expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
      expect(message.content[0]).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/^EvMC/) });
      expect(message.usage).toMatchObject({ input_tokens: 43, output_tokens: 282 });
      const record = await lastRecord();
      expect(record.passthrough).toBe(true);
      expect(record.usage).toMatchObject({ inputTokens: 43, outputTokens: 282 });
    });

    it('a tool-use round trip', async () => {
      const tools = [{ name: 'get_weather', description: 'Get the weather for a specific location', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } } } }];
      const first = await client.messages.create({ model: 'anthropic/claude-3-opus-20240229', max_tokens: 200, tools, messages: ask('Weather in SF? fixture:tool-use.json') });
      const call = first.content.find((block) => block.type === 'tool_use')!;
      expect(first.stop_reason).toBe('tool_use');
      const second = await client.messages.create({
        model: 'anthropic/claude-3-opus-20240229',
        max_tokens: 200,
        tools,
        messages: [
          ...ask('Weather in SF?'),
          { role: 'assistant', content: first.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '15 degrees' }, { type: 'text', text: 'fixture:tool-result-followup.json' }] },
        ],
      });
      expect(second.stop_reason).toBe('end_turn');
      expect((anthropicMock.requests[1]!.json as Json).messages[2].content[0]).toEqual({ type: 'tool_result', tool_use_id: call.id, content: '15 degrees' });
    });

    it('pause_turn with server tool blocks reaches the client as recorded', async () => {
      const message = await client.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 15000, messages: ask('fixture:stream-pause-turn-web-search.sse') }).finalMessage();
      expect(message.stop_reason).toBe('pause_turn');
      expect(message.content.some((block) => block.type === 'server_tool_use')).toBe(true);
      expect(message.content.some((block) => block.type === 'web_search_tool_result')).toBe(true);
    });
  });

  describe('(a) Anthropic upstream, through the canonical model', () => {
    const streams = [
      'stream-thinking.sse',
      'stream-redacted-thinking.sse',
      'stream-tool-use-input-json-delta.sse',
      'stream-tool-no-args.sse',
      'stream-web-search-citations.sse',
      'stream-pause-turn-web-search.sse',
      'stream-max-tokens.sse',
      'stream-cache-read.sse',
    ];
    for (const name of streams) {
      it(`${name}: the final message equals the passthrough one`, async () => {
        const params = { max_tokens: 4096, messages: ask(`fixture:${name}`) };
        const direct = await client.messages.stream({ ...params, model: 'anthropic/claude-sonnet-4-5' }).finalMessage();
        const canonical = await client.messages.stream({ ...params, model: 'canonical/claude-sonnet-4-5' }).finalMessage();
        const clean = (message: Json) => {
          const copy = structuredClone(message);
          for (const block of copy.content) if (Array.isArray(block.citations) && block.citations.length === 0) delete block.citations;
          delete copy.stop_details;
          return copy;
        };
        expect(clean(canonical)).toEqual(clean(direct));
        expect(records.filter((record) => record.passthrough === false)).toHaveLength(1);
      });
    }

    for (const name of ['text.json', 'thinking-then-tool-use.json', 'pause-turn-web-search.json', 'cache-write-1h-ttl.json']) {
      it(`${name}: messages.create gives the recorded message back`, async () => {
        const message = await client.messages.create({ model: 'canonical/claude-sonnet-4-5', max_tokens: 4096, messages: ask(`fixture:${name}`) });
        expect(message).toEqual(readFixtureJson(`anthropic-messages/${name}`));
      });
    }

    it('a thinking round trip: the signed thinking block goes back upstream unchanged', async () => {
      const first = await client.messages.create({ model: 'canonical/claude-sonnet-4-0', max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 3000 }, messages: ask('fixture:thinking-then-tool-use.json') });
      const call = first.content.find((block) => block.type === 'tool_use')!;
      await client.messages.create({
        model: 'canonical/claude-sonnet-4-0',
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 3000 },
        messages: [...ask('Largest city?'), { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'France' }, { type: 'text', text: 'fixture:text.json' }] }],
      });
      const sent = anthropicMock.requests[1]!.json as Json;
      expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
      expect(sent.messages[1].content).toEqual(readFixtureJson<Json>('anthropic-messages/thinking-then-tool-use.json').content);
      expect(sent.messages[2].content[0]).toEqual({ type: 'tool_result', tool_use_id: call.id, content: 'France' });
    });
  });

  describe('(b) OpenAI upstream', () => {
    it('messages.create: an OpenAI completion as an Anthropic message', async () => {
      const message = await client.messages.create({ model: 'openai/gpt-4o-mini', max_tokens: 100, system: 'Be brief.', messages: ask('fixture:cached-tokens.json') });
      expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'gpt-5.6-sol', content: [{ type: 'text', text: 'OK' }], stop_reason: 'end_turn' });
      // OpenAI's prompt_tokens include cached ones; Anthropic's input_tokens do not.
      expect(message.usage).toMatchObject({ input_tokens: 8, cache_read_input_tokens: 4012, output_tokens: 4 });
      const sent = openaiMock.requests[0]!.json as Json;
      expect(sent).toMatchObject({ model: 'gpt-4o-mini', max_completion_tokens: 100, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user' }] });
      expect(openaiMock.requests[0]!.headers.authorization).toBe('Bearer sk-openai-upstream');
    });

    it('messages.stream().finalMessage() over an OpenAI stream', async () => {
      const stream = client.messages.stream({ model: 'openai/gpt-4o-mini', max_tokens: 100, messages: ask('fixture:stream-text-with-usage.sse') });
      const events: string[] = [];
      stream.on('streamEvent', (event) => events.push(event.type));
      const message = await stream.finalMessage();
      expect(message.content[0]).toMatchObject({ type: 'text', text: expect.any(String) });
      expect(message.usage.output_tokens).toBeGreaterThan(0);
      expect(events[0]).toBe('message_start');
      expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    });

    it('a tool-use round trip against OpenAI (streamed arguments, then a tool result)', async () => {
      const tools = [{ name: 'GetWeatherArgs', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];
      const first = await client.messages.stream({ model: 'openai/gpt-4o', max_tokens: 100, tools, tool_choice: { type: 'any' }, messages: ask('fixture:stream-tool-call.sse') }).finalMessage();
      const call = first.content.find((block) => block.type === 'tool_use')!;
      expect(call).toMatchObject({ type: 'tool_use', name: 'GetWeatherArgs', input: expect.objectContaining({ city: expect.any(String) }) });
      expect(first.stop_reason).toBe('tool_use');
      expect((openaiMock.requests[0]!.json as Json).tool_choice).toBe('required');
      await client.messages.create({
        model: 'openai/gpt-4o',
        max_tokens: 100,
        tools,
        messages: [...ask('weather?'), { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny' }] }],
      });
      const sent = openaiMock.requests[1]!.json as Json;
      expect(sent.messages.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: call.id, type: 'function', function: { name: 'GetWeatherArgs' } }] });
      expect(sent.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: call.id, content: 'Sunny' });
    });

    it('thinking becomes reasoning_effort, with the lossy mapping reported in a header', async () => {
      const { response } = await client.messages
        .create({ model: 'openai/o3-mini', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: ask('fixture:reasoning-tokens-o3-mini.json') })
        .withResponse();
      expect((openaiMock.requests[0]!.json as Json).reasoning_effort).toBe('medium');
      expect(response.headers.get('x-switchyard-warnings')).toContain('lossy-conversion(reasoning)');
    });
  });

  describe('errors raise the right SDK error classes', () => {
    it('rate limit → RateLimitError with the upstream type and retry-after', async () => {
      const error = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages: ask('fixture:error-429') }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Anthropic.RateLimitError);
      expect((error as InstanceType<typeof Anthropic.RateLimitError>).error).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } });
      expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('7');
    });

    it('upstream authentication failure → AuthenticationError', async () => {
      const error = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages: ask('fixture:error-401-authentication.json') }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    });

    it('bad request (upstream, and the gateway’s own validation) → BadRequestError', async () => {
      const upstream = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages: ask('fixture:error-400-invalid-request.json') }).catch((thrown: unknown) => thrown);
      expect(upstream).toBeInstanceOf(Anthropic.BadRequestError);
      expect((upstream as InstanceType<typeof Anthropic.BadRequestError>).message).toContain('messages.0: Input does not match the expected shape.');
      const local = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', messages: ask('x') } as never).catch((thrown: unknown) => thrown);
      expect(local).toBeInstanceOf(Anthropic.BadRequestError);
      expect(anthropicMock.requests).toHaveLength(1);
    });

    it('unknown model → NotFoundError; overloaded (529) and upstream down → InternalServerError', async () => {
      expect(await client.messages.create({ model: 'nobody/serves-this', max_tokens: 10, messages: ask('x') }).catch((thrown: unknown) => thrown)).toBeInstanceOf(Anthropic.NotFoundError);
      const overloaded = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages: ask('fixture:error-529') }).catch((thrown: unknown) => thrown);
      expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
      expect((overloaded as InstanceType<typeof Anthropic.InternalServerError>).status).toBe(529);
      expect((overloaded as InstanceType<typeof Anthropic.InternalServerError>).error).toMatchObject({ error: { type: 'overloaded_error' } });
      const down = await client.messages.create({ model: 'down/claude-sonnet-4-5', max_tokens: 10, messages: ask('x') }).catch((thrown: unknown) => thrown);
      expect(down).toBeInstanceOf(Anthropic.InternalServerError);
      expect((down as InstanceType<typeof Anthropic.InternalServerError>).error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    });

    it('a mid-stream error event reaches the SDK as an APIError of that type (passthrough and canonical)', async () => {
      for (const model of ['anthropic/claude-sonnet-4-5', 'canonical/claude-sonnet-4-5']) {
        const error = await client.messages.stream({ model, max_tokens: 10, messages: ask('fixture:mid-stream-error') }).finalMessage().catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(Anthropic.APIError);
        expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'overloaded_error' } });
      }
    });
  });

  describe('count_tokens, models, auth headers, unknown paths', () => {
    it('count_tokens: forwarded to Anthropic; estimated for other providers', async () => {
      const exact = await client.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: ask('hello'), system: 'sys' }).withResponse();
      expect(exact.data).toEqual({ input_tokens: 42 });
      expect(exact.response.headers.get('x-switchyard-token-count')).toBe('provider');
      expect(anthropicMock.requests[0]).toMatchObject({ path: '/v1/messages/count_tokens', json: { model: 'claude-sonnet-4-5', system: 'sys', messages: [{ role: 'user', content: 'hello' }] } });
      const estimated = await client.messages.countTokens({ model: 'openai/gpt-4o', messages: ask('hello there, how are you today?') }).withResponse();
      expect(estimated.data.input_tokens).toBeGreaterThan(5);
      expect(estimated.response.headers.get('x-switchyard-token-count')).toBe('estimated');
      expect(openaiMock.requests).toHaveLength(0);
    });

    it('models.list in Anthropic’s list shape', async () => {
      const page = await client.models.list();
      const ids = page.data.map((model) => model.id);
      expect(ids).toContain('anthropic/claude-sonnet-4-5');
      expect(page.data[0]).toMatchObject({ type: 'model', display_name: expect.any(String), created_at: expect.any(String) });
      expect((await client.models.retrieve('anthropic/claude-sonnet-4-5')).id).toBe('anthropic/claude-sonnet-4-5');
    });

    it('accepts the key as a bearer token too, and never forwards it', async () => {
      const bearer = new Anthropic({ baseURL: `${gateway.url}/anthropic`, authToken: 'client-bearer', apiKey: null, maxRetries: 0 });
      await bearer.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages: ask('fixture:text.json') });
      expect(anthropicMock.requests[0]!.headers.authorization).toBeUndefined();
      expect(anthropicMock.requests[0]!.headers['x-api-key']).toBe('sk-ant-upstream');
    });

    it('unknown /anthropic paths answer in Anthropic’s error shape', async () => {
      const response = await fetch(`${gateway.url}/anthropic/v1/nope`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ type: 'error', error: { type: 'not_found_error', message: 'Unknown endpoint: GET /anthropic/v1/nope' } });
    });

    it('a client abort mid-stream releases the upstream stream', async () => {
      const controller = new AbortController();
      anthropicMock.on('POST', '/v1/messages', () => fixtureReply('anthropic-messages/stream-thinking.sse', { chunkSize: 200, chunkDelayMs: 20 }));
      try {
        const stream = client.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages: ask('slow') }, { signal: controller.signal });
        await new Promise<void>((resolve) => stream.on('streamEvent', () => resolve()));
        controller.abort();
        await stream.finalMessage().catch(() => undefined);
        for (let i = 0; i < 100 && anthropicMock.abortedResponses === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(anthropicMock.abortedResponses).toBe(1);
        expect((await lastRecord()).clientAborted).toBe(true);
      } finally {
        anthropicMock.on('POST', '/v1/messages', anthropicReply);
      }
    });
  });
});

describe('OpenAI SDK → gateway → Anthropic upstream', () => {
  let anthropicMock: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    anthropicMock = await new MockUpstream().start();
    anthropicMock.on('POST', '/v1/messages', anthropicReply);
    gateway = await startTestGateway({ providers: { anthropic: { baseUrl: anthropicMock.url, keys: [{ value: 'sk-ant-upstream' }] } } });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await anthropicMock.stop();
  });
  beforeEach(() => anthropicMock.reset());

  it('chat.completions.create: text, usage with cache tokens included in prompt_tokens', async () => {
    const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'fixture:cache-read-and-write.json' }] });
    expect(completion.choices[0]!.message.content).toMatch(/^Python is/);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 1532, completion_tokens: 33, total_tokens: 1565, prompt_tokens_details: { cached_tokens: 1111 } });
    const sent = anthropicMock.requests[0]!.json as Json;
    expect(sent).toMatchObject({ model: 'claude-sonnet-4-5', system: 'sys', max_tokens: 64000 });
  });

  it('streams tool calls with their arguments', async () => {
    const stream = await client.chat.completions.create({
      model: 'anthropic/claude-3-opus-20240229',
      max_tokens: 200,
      stream: true,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }],
      messages: [{ role: 'user', content: 'fixture:stream-tool-use-input-json-delta.sse' }],
    });
    let args = '';
    let name = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      for (const call of delta?.tool_calls ?? []) {
        if (call.function?.name) name = call.function.name;
        args += call.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ location: 'San Francisco, CA' });
    expect(finish).toBe('tool_calls');
  });

  it('thinking comes back as reasoning_content with its signed block', async () => {
    const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', max_tokens: 4096, reasoning_effort: 'low', messages: [{ role: 'user', content: 'fixture:thinking.json' }] });
    const message = completion.choices[0]!.message as Json;
    expect(message.reasoning_content).toMatch(/^This is a straightforward question/);
    expect(message.thinking_blocks[0]).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/^Eq8C/) });
    expect((anthropicMock.requests[0]!.json as Json).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
  });

  it('the signed thinking block an OpenAI client sends back (thinking_blocks) reaches Anthropic unchanged', async () => {
    const first = await client.chat.completions.create({ model: 'claude-sonnet-4-0', max_tokens: 4096, messages: [{ role: 'user', content: 'fixture:thinking-then-tool-use.json' }] });
    const message = first.choices[0]!.message as Json;
    expect(message.tool_calls[0]).toMatchObject({ id: 'toolu_01YGzqpRE16Vricda3Aqcejo', function: { name: 'get_user_country', arguments: '{}' } });
    await client.chat.completions.create({
      model: 'claude-sonnet-4-0',
      max_tokens: 4096,
      messages: [
        { role: 'user', content: 'Largest city?' },
        message as never,
        { role: 'tool', tool_call_id: 'toolu_01YGzqpRE16Vricda3Aqcejo', content: 'France' },
      ],
    });
    const recorded = readFixtureJson<Json>('anthropic-messages/thinking-then-tool-use.json').content;
    expect((anthropicMock.requests[1]!.json as Json).messages[1].content).toEqual(recorded);
    expect((anthropicMock.requests[1]!.json as Json).messages[2]).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01YGzqpRE16Vricda3Aqcejo', content: 'France' }] });
  });

  it('errors: an upstream 429 is an OpenAI RateLimitError', async () => {
    const error = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'fixture:error-429' }] }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });
});
