import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { fixtureReply, MockUpstream, type MockReply, type RecordedRequest } from '../helpers/mock-upstream.js';

/*
 * The real gateway process (built CLI) driven by the official `openai` SDK, against a mock
 * OpenAI upstream that replays recorded responses cut at random offsets. The upstream model name
 * picks the recording: "openai/stream-tool-call" replays openai-chat/stream-tool-call.sse.
 * Gateway A forwards bytes (passthrough); gateway B has passthrough off (canonical path).
 */

const ERRORS: Record<string, MockReply> = {
  'upstream-400': { status: 400, body: readFixtureText('openai-chat/error-400-unsupported-value.json') },
  'upstream-401': { status: 401, body: readFixtureText('openai-chat/error-401-invalid-api-key.json') },
  'upstream-403': { status: 403, body: JSON.stringify({ error: { message: 'Country not supported', type: 'invalid_request_error', code: 'unsupported_country_region_territory', param: null } }) },
  'upstream-404': { status: 404, body: readFixtureText('openai-chat/error-404-model-not-found.json') },
  'upstream-429': { status: 429, headers: { 'retry-after': '7' }, body: JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded', param: null } }) },
  'upstream-500': { status: 500, body: JSON.stringify({ error: { message: 'The server had an error', type: 'server_error', code: null, param: null } }) },
  'upstream-503': { status: 503, body: 'upstream connect error or disconnect/reset before headers' },
};

function route(request: RecordedRequest): MockReply {
  const body = request.json as { model: string; stream?: boolean; encoding_format?: string };
  if (request.path === '/v1/embeddings') {
    return fixtureReply(body.encoding_format === 'base64' ? 'openai-embeddings/embedding-base64.json' : 'openai-embeddings/embedding-float.json');
  }
  const error = ERRORS[body.model];
  if (error !== undefined) return error;
  if (body.model === 'slow-stream') return fixtureReply('openai-chat/stream-text.sse', { chunkSize: 300, chunkDelayMs: 50 });
  // About 35 s in all: still running at any shutdown deadline a test sets.
  if (body.model === 'stalled-stream') return fixtureReply('openai-chat/stream-text.sse', { chunkSize: 100, chunkDelayMs: 400 });
  const name = body.model.startsWith('gpt-') ? (body.stream ? 'stream-text' : 'text') : body.model;
  return fixtureReply(`openai-chat/${name}.${body.stream ? 'sse' : 'json'}`, { chunkSize: 23, randomChunks: true });
}

let upstream: MockUpstream;
let passthrough: GatewayProcess;
let canonical: GatewayProcess;
let client: OpenAI;
let canonicalClient: OpenAI;

beforeAll(async () => {
  upstream = await new MockUpstream().start();
  upstream.otherwise(route);
  const providers = (pass: boolean) => ({
    openai: { baseUrl: `${upstream.url}/v1`, keys: [{ name: 'primary', value: 'sk-upstream-secret' }], passthrough: pass },
    local: { type: 'openai-compatible', baseUrl: `${upstream.url}/v1`, models: ['gpt-4o-mini', 'local-*'] },
  });
  [passthrough, canonical] = await Promise.all([
    startGateway({ config: { server: { bodyLimit: '64kb', shutdownTimeout: '10s' }, providers: providers(true) } }),
    startGateway({ config: { providers: providers(false) } }),
  ]);
  client = new OpenAI({ baseURL: `${passthrough.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  canonicalClient = new OpenAI({ baseURL: `${canonical.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});

afterAll(async () => {
  await Promise.all([passthrough?.stop(), canonical?.stop()]);
  await upstream?.stop();
});

describe('chat completions', () => {
  it('answers, with the gateway headers, and uses the configured key upstream (never the client key)', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'openai/text', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe(readFixtureJson<any>('openai-chat/text.json').choices[0].message.content);
    expect(response.headers.get('x-switchyard-provider')).toBe('openai');
    expect(response.headers.get('x-switchyard-model')).toBe('text');
    expect(response.headers.get('x-switchyard-passthrough')).toBe('true');
    expect(Number(response.headers.get('x-switchyard-processing-ms'))).toBeGreaterThanOrEqual(0);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const sent = upstream.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-secret');
    expect((sent.json as { model: string }).model).toBe('text');
  });

  it('sends complete bodies with their content-length, not chunked, for answers and errors alike', async () => {
    for (const gateway of [passthrough, canonical]) {
      for (const body of [{ model: 'openai/text', messages: [{ role: 'user', content: 'hi' }] }, { model: 'openai/text', messages: 'not a list' }]) {
        const response = await fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer client-key' },
          body: JSON.stringify(body),
        });
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(response.headers.get('transfer-encoding')).toBeNull();
        expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
        expect(bytes.length).toBeGreaterThan(0);
      }
    }
  });

  it('honours an incoming x-request-id', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'openai/text', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': 'trace-abc.123' } })
      .withResponse();
    expect(response.headers.get('x-request-id')).toBe('trace-abc.123');
  });

  it('resolves a bare model name to the provider that serves it', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBeTruthy();
    expect((upstream.requests.at(-1)!.json as { model: string }).model).toBe('gpt-4.1-nano');
  });

  it('returns tool calls, single and parallel', async () => {
    const single = await client.chat.completions.create({ model: 'openai/tool-call', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] });
    expect(single.choices[0]!.finish_reason).toBe('tool_calls');
    expect(single.choices[0]!.message.tool_calls).toHaveLength(1);
    const parallel = await client.chat.completions.create({ model: 'openai/parallel-tool-calls', messages: [{ role: 'user', content: 'x' }] });
    expect(parallel.choices[0]!.message.tool_calls?.map((call) => call.type === 'function' && call.function.name)).toHaveLength(2);
  });

  it('streams text with a final usage chunk when asked', async () => {
    const stream = await client.chat.completions.create({ model: 'openai/stream-text-with-usage', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it('hides the usage chunk the gateway asked for when the client did not', async () => {
    const stream = await client.chat.completions.create({ model: 'openai/stream-text', messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect((upstream.requests.at(-1)!.json as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
  });

  it('streams tool calls with argument deltas', async () => {
    const runner = client.chat.completions.stream({ model: 'openai/stream-parallel-tool-calls', messages: [{ role: 'user', content: 'x' }] });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls ?? [];
    expect(calls).toHaveLength(2);
    for (const call of calls) if (call.type === 'function') expect(() => JSON.parse(call.function.arguments)).not.toThrow();
  });
});

describe('passthrough and canonical paths give the same client-visible results', () => {
  const NON_STREAM = ['text', 'text-gpt-4.1-nano', 'tool-call', 'parallel-tool-calls', 'n3-multiple-choices', 'refusal', 'cached-tokens', 'reasoning-tokens-o3-mini', 'finish-length'];
  it.each(NON_STREAM)('%s (non-streaming)', async (name) => {
    const body = { model: `openai/${name}`, messages: [{ role: 'user' as const, content: 'x' }] };
    const [a, b] = await Promise.all([client.chat.completions.create(body).withResponse(), canonicalClient.chat.completions.create(body).withResponse()]);
    expect(a.response.headers.get('x-switchyard-passthrough')).toBe('true');
    expect(b.response.headers.get('x-switchyard-passthrough')).toBeNull();
    expect(b.data).toEqual(a.data);
  });

  const STREAMS = ['stream-text', 'stream-tool-call', 'stream-parallel-tool-calls', 'stream-n3-multiple-choices', 'stream-refusal', 'stream-logprobs', 'stream-finish-length', 'stream-json-object-mode', 'stream-structured-output-json-schema', 'stream-tool-call-with-usage'];
  it.each(STREAMS)('%s (streaming, accumulated)', async (name) => {
    const body = { model: `openai/${name}`, messages: [{ role: 'user' as const, content: 'x' }], stream_options: { include_usage: true } };
    const [a, b] = await Promise.all([client.chat.completions.stream(body).finalChatCompletion(), canonicalClient.chat.completions.stream(body).finalChatCompletion()]);
    expect(b.choices).toEqual(a.choices);
    expect(b.usage).toEqual(a.usage);
    expect(b.id).toBe(a.id);
    expect(b.model).toBe(a.model);
  });
});

describe('embeddings and models', () => {
  it('returns embeddings the SDK decodes from base64 (its default) and floats when asked', async () => {
    const base64 = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'hello world', dimensions: 512 });
    expect(base64.data[0]!.embedding).toHaveLength(512);
    const float = await client.embeddings.create({ model: 'openai/text-embedding-ada-002', input: 'hello world', encoding_format: 'float' });
    expect(float.data[0]!.embedding).toHaveLength(1536);
    expect(float.usage.prompt_tokens).toBe(2);
    const viaCanonical = await canonicalClient.embeddings.create({ model: 'openai/text-embedding-3-small', input: ['hello world'], dimensions: 512 });
    expect(viaCanonical.data[0]!.embedding).toEqual(base64.data[0]!.embedding);
  });

  it('lists models merged across providers, and one model', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['openai/gpt-4o-mini', 'local/gpt-4o-mini']));
    expect((await client.models.retrieve('openai/gpt-4o')).owned_by).toBe('openai');
    await expect(client.models.retrieve('nope/nothing')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('errors in OpenAI shape', () => {
  const post = (body: string | Buffer, path = '/v1/chat/completions') =>
    fetch(`${passthrough.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it.each([
    ['malformed JSON', '{"model": "x", "messages": [', 400, 'invalid_json', null],
    ['wrong type', JSON.stringify({ model: 42, messages: [] }), 400, 'invalid_request', 'model'],
    ['missing messages', JSON.stringify({ model: 'openai/text' }), 400, 'invalid_request', 'messages'],
    ['bad role', JSON.stringify({ model: 'openai/text', messages: [{ role: 'wizard', content: 'x' }] }), 400, 'invalid_request', 'messages[0].role'],
    ['bad content part', JSON.stringify({ model: 'openai/text', messages: [{ role: 'user', content: [{ type: 'video' }] }] }), 400, 'invalid_request', 'messages[0].content[0].type'],
    ['temperature out of range', JSON.stringify({ model: 'openai/text', messages: [{ role: 'user', content: 'x' }], temperature: 9 }), 400, 'invalid_request', 'temperature'],
    ['unknown model', JSON.stringify({ model: 'claude-nope', messages: [{ role: 'user', content: 'x' }] }), 404, 'model_not_found', 'model'],
    ['unknown provider prefix', JSON.stringify({ model: 'nosuch/gpt-4o', messages: [{ role: 'user', content: 'x' }] }), 404, 'model_not_found', 'model'],
    ['ambiguous model', JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }), 400, 'ambiguous_model', 'model'],
  ])('%s', async (_name, body, status, code, param) => {
    const before = upstream.requests.length;
    const response = await post(body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { message: string; type: string; param: string | null; code: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.param).toBe(param);
    expect(json.error.message.length).toBeGreaterThan(10);
    expect(response.headers.get('x-switchyard-error-code')).toBe(code);
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses a body over the configured size limit with 413', async () => {
    const huge = JSON.stringify({ model: 'openai/text', messages: [{ role: 'user', content: 'x'.repeat(100_000) }] });
    const response = await post(huge);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('answers unknown paths and wrong methods in OpenAI shape', async () => {
    expect((await fetch(`${passthrough.url}/v1/nothing`)).status).toBe(404);
    const wrong = await fetch(`${passthrough.url}/v1/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['upstream-400', OpenAI.BadRequestError, 400, 'unsupported_value'],
    ['upstream-401', OpenAI.AuthenticationError, 401, 'invalid_api_key'],
    ['upstream-403', OpenAI.PermissionDeniedError, 403, 'unsupported_country_region_territory'],
    ['upstream-404', OpenAI.NotFoundError, 404, 'model_not_found'],
    ['upstream-429', OpenAI.RateLimitError, 429, 'rate_limit_exceeded'],
    ['upstream-500', OpenAI.InternalServerError, 500, null],
    ['upstream-503', OpenAI.InternalServerError, 503, 'upstream_overloaded'],
  ])('maps upstream %s faithfully for the SDK', async (model, errorClass, status, code) => {
    for (const target of [client, canonicalClient]) {
      const error = await target.chat.completions.create({ model: `openai/${model}`, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClass);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(status);
      if (code !== null) expect(apiError.code).toBe(code);
      if (status === 429) expect(apiError.headers?.get('retry-after')).toBe('7');
    }
  });
});

describe('connections', () => {
  it('closes the upstream connection when the client aborts mid-stream', async () => {
    const aborted = upstream.abortedResponses;
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'openai/slow-stream', messages: [{ role: 'user', content: 'x' }], stream: true }, { signal: controller.signal });
    let chunks = 0;
    try {
      for await (const _chunk of stream) {
        if (++chunks === 2) controller.abort();
      }
    } catch {
      // The SDK may end the iteration or throw an abort error; either way the client is gone.
    }
    expect(chunks).toBeLessThan(10);
    for (let i = 0; i < 50 && upstream.abortedResponses === aborted; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(upstream.abortedResponses).toBe(aborted + 1);
  });
});

describe('logs', () => {
  it('write one structured line per request and never a key', async () => {
    const lines = passthrough
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.msg === 'request').length).toBeGreaterThan(20);
    expect(lines[0]).toMatchObject({ level: expect.any(String), time: expect.any(String), requestId: expect.any(String) });
    expect(passthrough.output()).not.toContain('sk-upstream-secret');
    expect(passthrough.output()).not.toContain('client-key');
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight stream finish, refuses new connections, and exits 0', async () => {
    const gateway = await startGateway({ config: { providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'k' }] } } } });
    const streaming = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const stream = await streaming.chat.completions.create({ model: 'openai/slow-stream', messages: [{ role: 'user', content: 'x' }], stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    let text = (await iterator.next()).value?.choices[0]?.delta.content ?? '';
    const exit = gateway.stop('SIGTERM');
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += next.value.choices[0]?.delta.content ?? '';
    const expected = readFixtureText('openai-chat/stream-text.sse')
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toBe(expected);
    expect(await exit).toBe(0);
    await expect(fetch(`${gateway.url}/health`)).rejects.toThrow();
    expect(gateway.output()).toMatch(/SIGTERM received/);
  });

  it('cuts a stream still running at server.shutdownTimeout, drops its upstream connection, records it, and exits 0 promptly', async () => {
    const deadlineMs = 600;
    const env = { SWITCHYARD_ADMIN_KEY: 'admin-shutdown-test' };
    const config = { server: { shutdownTimeout: `${deadlineMs}ms` }, providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'k' }] } } };
    const gateway = await startGateway({ config, env });
    const streaming = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const aborted = upstream.abortedResponses;
    const { data: stream, response } = await streaming.chat.completions.create({ model: 'openai/stalled-stream', messages: [{ role: 'user', content: 'x' }], stream: true }).withResponse();
    const iterator = stream[Symbol.asyncIterator]();
    let text = (await iterator.next()).value?.choices[0]?.delta.content ?? '';
    const signalled = performance.now();
    const exit = gateway.stop('SIGTERM');
    let failure: unknown;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += next.value.choices[0]?.delta.content ?? '';
    } catch (error) {
      failure = error;
    }
    const cutAfterMs = performance.now() - signalled;
    expect(await exit).toBe(0);
    const exitedAfterMs = performance.now() - signalled;
    const expected = readFixtureText('openai-chat/stream-text.sse')
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '')
      .join('');
    // The client got a prefix of the answer and a broken stream, not a completed one.
    expect(failure).toBeInstanceOf(Error);
    expect(expected.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan(expected.length);
    // Cut at the deadline, not before; the process gone soon after, not when the stream would end.
    expect(cutAfterMs).toBeGreaterThanOrEqual(deadlineMs - 50);
    expect(exitedAfterMs).toBeLessThan(deadlineMs + 3000);
    expect(gateway.output()).toMatch(/SIGTERM received: no longer accepting connections; waiting up to 600 ms for 1 in-flight request/);
    expect(gateway.output()).toMatch(/Shutdown deadline reached; remaining connections were closed/);
    expect(gateway.output()).not.toMatch(/not recorded/);
    // The upstream request went with it (the mock saw its reply cut off).
    for (let i = 0; i < 50 && upstream.abortedResponses === aborted; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(upstream.abortedResponses).toBe(aborted + 1);
    // Its final log record was written before the process exited (not only the write-ahead entry).
    const restarted = await startGateway({ config, env, dataDir: gateway.dataDir });
    try {
      const record = (await (await fetch(`${restarted.url}/api/logs/${response.headers.get('x-request-id')}`, { headers: { authorization: `Bearer ${env.SWITCHYARD_ADMIN_KEY}` } })).json()) as Record<string, unknown>;
      expect(record).toMatchObject({ status: 499, clientAborted: true, interrupted: false, stream: true });
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  });
});
