import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js';
import { readFixture, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { recordedHeaders } from './recorded-headers.js';

/*
 * The Responses surface to a provider that speaks the Responses API (openai with api: responses),
 * with the official openai SDK as the client: byte passthrough (provider "oai"), and the
 * canonical path through the Responses adapter and the gateway's own store ("oai-canonical",
 * passthrough off). The upstream replays recorded OpenAI Responses traffic.
 */

function sseEventTypes(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('event: '))
    .map((line) => line.slice(7));
}

describe('Responses surface → Responses upstream (openai SDK)', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  let reply: { json?: string; sse?: string; status?: number };

  const replay = (request: RecordedRequest) => {
    const stream = (request.json as { stream?: boolean }).stream === true;
    if (reply.status !== undefined) return fixtureReply(reply.json!, { status: reply.status });
    return stream ? fixtureReply(reply.sse!, { chunkSize: 37, randomChunks: true }) : fixtureReply(reply.json!);
  };

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.otherwise((request) => {
      if (request.method === 'GET' && request.path === '/v1/responses/resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b') return fixtureReply('openai-responses/output-text.json');
      if (request.method === 'DELETE' && request.path.startsWith('/v1/responses/resp_689a')) {
        return { status: 200, body: JSON.stringify({ id: 'resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b', object: 'response', deleted: true }) };
      }
      return { status: 404, body: JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } }) };
    });
    gateway = await startTestGateway({
      providers: {
        oai: { type: 'openai', baseUrl: `${upstream.url}/v1`, api: 'responses', keys: [{ value: 'sk-upstream' }] },
        'oai-canonical': { type: 'openai', baseUrl: `${upstream.url}/v1`, api: 'responses', passthrough: false, keys: [{ value: 'sk-upstream' }] },
      },
    });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });
  beforeEach(() => {
    upstream.reset();
    upstream.on('POST', '/v1/responses', replay);
    reply = {};
  });

  it('passthrough: the recorded body comes back byte for byte, only the model patched upstream', async () => {
    reply = { json: 'openai-responses/function-call.json' };
    const raw = await client.responses
      .create({ model: 'oai/gpt-4.1', input: 'What is the weather like in Boston today?', tools: readFixtureJson<{ tools: OpenAI.Responses.Tool[] }>('openai-responses/function-call.request.json').tools })
      .asResponse();
    expect(raw.headers.get('x-switchyard-passthrough')).toBe('true');
    const text = await raw.text();
    expect(text).toBe(readFixtureText('openai-responses/function-call.json'));
    expect((JSON.parse(text) as OpenAI.Responses.Response).output[0]).toMatchObject({ type: 'function_call', name: 'get_current_weather' });
    const sent = upstream.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-upstream');
    expect((sent.json as { model: string }).model).toBe('gpt-4.1');
  });

  it('passthrough stream (with its recorded headers): the SDK sees the recorded event sequence, usage is accounted', async () => {
    upstream.on('POST', '/v1/responses', () =>
      fixtureReply('openai-responses/stream-cached-tokens.sse', { headers: recordedHeaders('openai-responses/stream-cached-tokens.headers.json'), chunkSize: 37, randomChunks: true }),
    );
    const { data: stream, response } = await client.responses.create({ model: 'oai/gpt-4o', input: 'hi', stream: true }).withResponse();
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const types: string[] = [];
    let usage: OpenAI.Responses.ResponseUsage | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.completed') usage = event.response.usage;
    }
    expect(types).toEqual(sseEventTypes(readFixtureText('openai-responses/stream-cached-tokens.sse')));
    expect(usage?.input_tokens_details.cached_tokens).toBe(1390);
  });

  it('canonical path: responses.stream() helpers and finalResponse() on a re-encoded reasoning + function call stream', async () => {
    reply = { sse: 'openai-responses/stream-reasoning-summary-step1.sse' };
    const stream = client.responses.stream({
      model: 'oai-canonical/gpt-5.1-codex-max',
      input: 'Compute (12+7)*3*10 with the calculator.',
      reasoning: { effort: 'high', summary: 'detailed' },
      include: ['reasoning.encrypted_content'],
      tools: [{ type: 'function', name: 'calculator', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' }, op: { type: 'string' } }, required: ['a', 'b', 'op'], additionalProperties: false }, strict: true }],
    });
    let summary = '';
    let args = '';
    const sequence: number[] = [];
    stream.on('response.reasoning_summary_text.delta', (event) => (summary += event.delta));
    stream.on('response.function_call_arguments.delta', (event) => (args += event.delta));
    stream.on('event', (event) => sequence.push(event.sequence_number));
    const final = await stream.finalResponse();
    expect(sequence).toEqual(sequence.map((_, index) => index));
    expect(final.status).toBe('completed');
    expect(final.id).toBe('resp_01830d662ab3856501693c321345c88190b0de00f3b9975691');
    expect(final.output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    const reasoning = final.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.id).toBe('rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9');
    expect(reasoning.summary[0]!.text).toBe(summary);
    expect(reasoning.encrypted_content).toMatch(/^gAAAAABpPDIVOKrs/);
    const call = final.output[1] as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call).toMatchObject({ call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' });
    expect(args).toBe(call.arguments);
    expect(final.usage).toMatchObject({ input_tokens: 134, output_tokens: 28 });
    // Upstream got a stateless request that asks for the encrypted reasoning.
    const sent = upstream.requests[0]!.json as Record<string, unknown>;
    expect(sent).toMatchObject({ store: false, stream: true, include: ['reasoning.encrypted_content'], reasoning: { effort: 'high', summary: 'detailed' } });
  });

  it('canonical path: a function-call round trip continued with previous_response_id from the gateway store, then retrieve, input_items and delete', async () => {
    reply = { json: 'openai-responses/reasoning-encrypted-content.json' };
    const first = await client.responses.create({
      model: 'oai-canonical/gpt-5-mini',
      instructions: 'Use the calculator.',
      input: [{ role: 'user', content: 'Compute (12+7)*3*10.' }],
      reasoning: { effort: 'low' },
      tools: [{ type: 'function', name: 'calculator', parameters: { type: 'object', properties: {} }, strict: false }],
    });
    expect(first.id).toBe('resp_0f35ed53160b395301693cc957829881909359e7f80cdd20b5');
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(first.output_text).toContain('Final result: 570');
    expect((first.output[0] as { encrypted_content?: string }).encrypted_content).toBeUndefined();

    reply = { json: 'openai-responses/function-call.json' };
    const second = await client.responses.create({
      model: 'oai-canonical/gpt-5-mini',
      previous_response_id: first.id,
      input: [{ role: 'user', content: 'And the weather in Boston?' }],
    });
    expect(second.previous_response_id).toBe(first.id);
    const call = second.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call.call_id).toBe('call_tjEzTywkXuBUO42ugPFnQYqi');

    reply = { json: 'openai-responses/reasoning-tokens.json' };
    const third = await client.responses.create({
      model: 'oai-canonical/gpt-5-mini',
      previous_response_id: second.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temperature": 12}' }],
    });
    expect(third.output_text).toMatch(/Globe Life Field/);
    const sent = upstream.requests[2]!.json as { input: Array<Record<string, unknown>>; previous_response_id?: string; instructions?: string; store: boolean; include?: string[] };
    expect(sent.previous_response_id).toBeUndefined();
    expect(sent.instructions).toBeUndefined();
    expect(sent.store).toBe(false);
    expect(sent.include).toEqual(['reasoning.encrypted_content']);
    expect(sent.input.map((item) => item.type ?? item.role)).toEqual(['user', 'reasoning', 'assistant', 'user', 'function_call', 'function_call_output']);
    expect(sent.input[1]).toMatchObject({ id: 'rs_0f35ed53160b395301693cc95817ac8190b978637daea4987e', encrypted_content: expect.stringMatching(/^gAAAAABpPMlc/) });
    expect(sent.input[4]).toEqual({ type: 'function_call', call_id: 'call_tjEzTywkXuBUO42ugPFnQYqi', name: 'get_current_weather', arguments: '{"location":"Boston, MA","unit":"celsius"}' });
    expect(sent.input[5]).toEqual({ type: 'function_call_output', call_id: 'call_tjEzTywkXuBUO42ugPFnQYqi', output: '{"temperature": 12}' });

    const retrieved = await client.responses.retrieve(second.id);
    expect(retrieved).toMatchObject({ id: second.id, previous_response_id: first.id, status: 'completed' });
    const items = await client.responses.inputItems.list(third.id);
    expect(items.data).toEqual([expect.objectContaining({ type: 'function_call_output', call_id: call.call_id, id: expect.stringMatching(/^fco_/) })]);
    await client.responses.delete(first.id);
    await expect(client.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
    // The chain is broken now: continuing from the third response names the missing link.
    await expect(client.responses.create({ model: 'oai-canonical/gpt-5-mini', previous_response_id: third.id, input: 'more' })).rejects.toMatchObject({
      status: 400,
      code: 'previous_response_not_found',
      message: expect.stringContaining(first.id),
    });
  });

  it('store: false keeps nothing; an unknown previous_response_id to a Responses provider is forwarded as-is', async () => {
    reply = { json: 'openai-responses/custom-tool.json' };
    const unstored = await client.responses.create({ model: 'oai-canonical/gpt-4o-mini', input: 'hi', store: false });
    expect(unstored.output[0]).toMatchObject({ type: 'custom_tool_call', name: 'write_sql', input: 'SELECT * FROM users WHERE age > 25' });
    await expect(client.responses.retrieve(unstored.id)).rejects.toMatchObject({ status: 404 });

    await client.responses.create({ model: 'oai/gpt-4o-mini', previous_response_id: 'resp_upstream_only', input: 'again' });
    expect((upstream.requests.at(-1)!.json as { previous_response_id: string }).previous_response_id).toBe('resp_upstream_only');
    await client.responses.create({ model: 'oai-canonical/gpt-4o-mini', previous_response_id: 'resp_upstream_only', input: 'again' });
    expect(upstream.requests.at(-1)!.json).toMatchObject({ previous_response_id: 'resp_upstream_only', store: true });
  });

  it('ids the gateway did not store are looked up at the Responses provider (retrieve and delete)', async () => {
    const retrieved = await client.responses.retrieve('resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b');
    expect(retrieved.output_text).toMatch(/^I can't provide real-time updates/);
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', path: '/v1/responses/resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b' });
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-upstream');
    await client.responses.delete('resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b');
    await expect(client.responses.retrieve('resp_nowhere')).rejects.toMatchObject({ status: 404 });
  });

  it('an HTTP-200 stream that fails before any output: the gateway can still answer 429 (or fail over)', async () => {
    upstream.on('POST', '/v1/responses', () => fixtureReply('openai-responses/stream-error-insufficient-quota.sse'));
    await expect(client.responses.create({ model: 'oai-canonical/gpt-5-nano', input: 'hi', stream: true })).rejects.toMatchObject({ status: 429, code: 'insufficient_quota' });
  });

  it('an error that follows response.created by 100 ms is still answered as HTTP 429: nothing was committed', async () => {
    // First write: response.created and response.in_progress; the error follows 100 ms later.
    // The stream is committed to the client only at its first content event, so the gateway can
    // still answer with a status (or fail over) instead of a broken stream.
    const body = readFixtureText('openai-responses/stream-error-insufficient-quota.sse');
    const split = body.indexOf('event: error');
    upstream.on('POST', '/v1/responses', () => fixtureReply('openai-responses/stream-error-insufficient-quota.sse', { chunkSize: split, chunkDelayMs: 100 }));
    await expect(client.responses.create({ model: 'oai-canonical/gpt-5-nano', input: 'hi', stream: true })).rejects.toMatchObject({
      status: 429,
      message: expect.stringContaining('You exceeded your current quota'),
    });
  });

  it('a truncated stream ends with response.incomplete', async () => {
    reply = { sse: 'openai-responses/stream-incomplete-max-output-tokens.sse' };
    const final = await client.responses.stream({ model: 'oai-canonical/gpt-4o', input: 'Give me a multi paragraph narrative', max_output_tokens: 16 }).finalResponse();
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(final.output_text).toBe('In the bustling city of Detroit, a sleek, metallic blue sedan rolled off the');
  });

  it('chat-completions clients reach a provider in api: responses mode (canonical conversion)', async () => {
    reply = { sse: 'openai-responses/stream-reasoning-summary-step1.sse', json: 'openai-responses/function-call.json' };
    const completion = await client.chat.completions.create({
      model: 'oai/gpt-4.1',
      messages: [{ role: 'user', content: 'Weather in Boston?' }],
      tools: [{ type: 'function', function: { name: 'get_current_weather', parameters: { type: 'object', properties: {} } } }],
    });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]!.message.tool_calls![0]).toMatchObject({ id: 'call_tjEzTywkXuBUO42ugPFnQYqi', function: { name: 'get_current_weather' } });
    expect(completion.usage).toMatchObject({ prompt_tokens: 75, completion_tokens: 23, total_tokens: 98 });
    expect(upstream.requests[0]!.json).toMatchObject({ model: 'gpt-4.1', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather in Boston?' }] }], store: false });

    const stream = await client.chat.completions.create({ model: 'oai/gpt-5.1-codex-max', messages: [{ role: 'user', content: 'compute' }], stream: true, reasoning_effort: 'high' });
    let reasoning = '';
    let args = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; tool_calls?: Array<{ function?: { arguments?: string } }> } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      args += delta?.tool_calls?.[0]?.function?.arguments ?? '';
    }
    expect(reasoning).toMatch(/^\*\*Calculating step-by-step/);
    expect(args).toBe('{"a":12,"b":7,"op":"add"}');
  });

  it('upstream HTTP errors come back in the OpenAI error shape with their status', async () => {
    reply = { json: 'openai-responses/error-400-model-not-found.json', status: 400 };
    await expect(client.responses.create({ model: 'oai-canonical/invalid-model', input: 'hi' })).rejects.toMatchObject({ status: 400, code: 'model_not_found', param: 'model' });
    reply = { json: 'openai-responses/error-401-invalid-api-key.json', status: 401 };
    await expect(client.responses.create({ model: 'oai-canonical/gpt-4o', input: 'hi' })).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('a client that goes away mid-stream releases the upstream connection', async () => {
    reply = { sse: 'openai-responses/stream-reasoning-summary-code-interpreter.sse' };
    upstream.on('POST', '/v1/responses', () => fixtureReply(reply.sse!, { chunkSize: 200, chunkDelayMs: 5 }));
    upstream.abortedResponses = 0;
    const controller = new AbortController();
    const stream = await client.responses.create({ model: 'oai-canonical/gpt-5', input: 'x', stream: true }, { signal: controller.signal });
    let count = 0;
    // The SDK ends the iteration quietly on its own abort.
    for await (const _event of stream) if (++count === 5) controller.abort();
    expect(count).toBe(5);
    await expect.poll(() => upstream.abortedResponses, { timeout: 5000 }).toBe(1);
    expect(readFixture(reply.sse!).length).toBeGreaterThan(200 * 5);
  });
});
