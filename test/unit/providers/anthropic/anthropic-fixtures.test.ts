import { describe, expect, it } from 'vitest';
import { decodeMessagesRequest } from '../../../../src/api/anthropic/decode-messages-request.js';
import { encodeMessagesResponse } from '../../../../src/api/anthropic/encode-messages-response.js';
import { MessagesStreamEncoder } from '../../../../src/api/anthropic/messages-stream-encoder.js';
import type { ChatRequest, StreamEvent } from '../../../../src/core/index.js';
import { parseRetryAfter } from '../../../../src/providers/shared/parse-retry-after.js';
import { listFixtures, readFixture, readFixtureJson, readFixtureText, splitAtRandomOffsets } from '../../../helpers/fixtures.js';
import { callContext, createProvider, decodeStream, sdkFinalMessage } from './anthropic-test-kit.js';

/*
 * Every recorded file in test/fixtures/providers/anthropic-messages/ goes through the Anthropic
 * adapter here: responses are decoded (and re-encoded by the Anthropic surface, which must give
 * the recording back), streams are decoded whole and cut at arbitrary offsets, request bodies
 * travel surface → canonical → provider and must come out as they went in, error bodies and
 * headers are mapped to canonical errors.
 */

const FOLDER = 'anthropic-messages';
const provider = createProvider('anthropic', { keys: [{ value: 'sk-ant-test' }] });
const context = () => callContext(provider, 'claude-sonnet-4-5');
const info = { requestId: 'req-1', model: 'claude-sonnet-4-5' };
const used = new Set<string>();
const use = (name: string): string => {
  used.add(`${FOLDER}/${name}`);
  return `${FOLDER}/${name}`;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- recorded JSON is read loosely in assertions
type Json = Record<string, any>;

/** Equal meaning, different spelling: string content vs one text block, absent stream flag. */
function normaliseRequest(body: Json): Json {
  const copy = structuredClone(body);
  delete copy.stream;
  if (typeof copy.system === 'string') copy.system = [{ type: 'text', text: copy.system }];
  for (const message of copy.messages) if (typeof message.content === 'string') message.content = [{ type: 'text', text: message.content }];
  return copy;
}

/** The SDK keeps empty citation lists and null stop_details; the re-encoded stream omits them. */
function normaliseMessage(message: Json): Json {
  const copy = structuredClone(message);
  for (const block of copy.content) if (Array.isArray(block.citations) && block.citations.length === 0) delete block.citations;
  if (copy.stop_details === null || copy.stop_details === undefined) delete copy.stop_details;
  return copy;
}

describe('anthropic-messages fixtures: non-streaming responses', () => {
  const responses = [
    'cache-read-and-write.json',
    'cache-write-1h-ttl.json',
    'image-url-input.json',
    'parallel-tool-use.json',
    'pause-turn-web-search.json',
    'pdf-url-input.json',
    'text-max-tokens.json',
    'text.json',
    'thinking-then-tool-use.json',
    'thinking.json',
    'tool-no-args.json',
    'tool-result-followup.json',
    'tool-use.json',
  ];
  for (const name of responses) {
    it(`${name}: decodes, and the Anthropic surface re-encodes it unchanged`, () => {
      const body = readFixtureJson<Json>(use(name));
      const response = provider.chat!.decodeResponse(body, context());
      expect(response.id).toBe(body.id);
      expect(response.choices[0]!.finishReason.raw).toBe(body.stop_reason);
      expect(JSON.parse(encodeMessagesResponse(response, info))).toEqual(body);
    });
  }

  it('counts cache reads and writes into the canonical input tokens', () => {
    const response = provider.chat!.decodeResponse(readFixtureJson(`${FOLDER}/cache-read-and-write.json`), context());
    expect(response.usage).toMatchObject({ inputTokens: 3 + 1111 + 418, cacheReadTokens: 1111, cacheWriteTokens: 418, outputTokens: 33, totalTokens: 1532 + 33 });
    expect(response.usage?.cacheWrite1hTokens).toBeUndefined();
  });

  it('reports 1-hour cache writes apart', () => {
    const response = provider.chat!.decodeResponse(readFixtureJson(`${FOLDER}/cache-write-1h-ttl.json`), context());
    expect(response.usage).toMatchObject({ cacheWriteTokens: 2056, cacheWrite1hTokens: 2056 });
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'length', raw: 'max_tokens' });
  });

  it('keeps thinking signatures and tool calls', () => {
    const response = provider.chat!.decodeResponse(readFixtureJson(`${FOLDER}/thinking-then-tool-use.json`), context());
    const [reasoning, text, call] = response.choices[0]!.content;
    expect(reasoning).toMatchObject({ type: 'reasoning', signature: expect.stringMatching(/^EqEE/) });
    expect(text).toMatchObject({ type: 'text' });
    expect(call).toEqual({ type: 'tool-call', id: 'toolu_01YGzqpRE16Vricda3Aqcejo', name: 'get_user_country', arguments: '{}' });
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
  });

  it('maps pause_turn and keeps server tool blocks verbatim', () => {
    const body = readFixtureJson<Json>(`${FOLDER}/pause-turn-web-search.json`);
    const response = provider.chat!.decodeResponse(body, context());
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'pause', raw: 'pause_turn' });
    const carried = response.choices[0]!.content.filter((part) => part.type === 'text' && part.providerOptions?.anthropic?.block !== undefined);
    expect(carried.length).toBe(body.content.filter((block: Json) => block.type === 'server_tool_use' || block.type === 'web_search_tool_result').length);
    expect(response.usage).toMatchObject({ inputTokens: 401_468, outputTokens: 792 });
  });

  it('decodes the four parallel tool calls in order', () => {
    const response = provider.chat!.decodeResponse(readFixtureJson(`${FOLDER}/parallel-tool-use.json`), context());
    const calls = response.choices[0]!.content.filter((part) => part.type === 'tool-call');
    expect(calls.map((call) => call.type === 'tool-call' && call.arguments)).toEqual(['{"name":"Alice"}', '{"name":"Bob"}', '{"name":"Charlie"}', '{"name":"Daisy"}']);
  });
});

describe('anthropic-messages fixtures: request bodies', () => {
  const requests = [
    'cache-write-1h-ttl.request.json',
    'image-url-input.request.json',
    'parallel-tool-use.request.json',
    'pdf-url-input.request.json',
    'stream-cache-read.request.json',
    'stream-max-tokens.request.json',
    'stream-pause-turn-web-search.request.json',
    'stream-redacted-thinking.request.json',
    'stream-text-minimal.request.json',
    'stream-thinking.request.json',
    'stream-tool-use-input-json-delta.request.json',
    'stream-web-search-citations.request.json',
    'text-max-tokens.request.json',
    'thinking-then-tool-use.request.json',
    'tool-result-followup.request.json',
    'tool-use.request.json',
  ];
  for (const name of requests) {
    it(`${name}: surface → canonical → provider gives the same body back, without warnings`, () => {
      const original = readFixtureJson<Json>(use(name));
      const { request } = decodeMessagesRequest(original, {});
      const call = callContext(provider, original.model);
      const upstream = provider.chat!.buildRequest(request, call);
      const sent = JSON.parse(upstream.body as string) as Json;
      expect(normaliseRequest(sent)).toEqual(normaliseRequest(original));
      expect(sent.stream === true).toBe(original.stream === true);
      expect(call.warnings).toEqual([]);
    });
  }

  it('keeps the 1-hour cache_control on the system prompt', () => {
    const { request } = decodeMessagesRequest(readFixtureJson(`${FOLDER}/cache-write-1h-ttl.request.json`), {});
    expect(request.messages[0]).toMatchObject({ role: 'system', content: [{ type: 'text', cacheControl: { type: 'ephemeral', ttl: '1h' } }] });
  });

  it('splits tool results out of user turns and merges them back', () => {
    const { request } = decodeMessagesRequest(readFixtureJson(`${FOLDER}/tool-result-followup.request.json`), {});
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(request.messages[3]!.content).toHaveLength(4);
  });

  it('passthrough forwards the recorded bytes with only the model patched', () => {
    const raw = readFixture(`${FOLDER}/stream-thinking.request.json`);
    const parsed = JSON.parse(raw.toString('utf8')) as Json;
    const built = provider.passthrough!.buildRequest('chat', raw, parsed, callContext(provider, 'claude-sonnet-4-20250514'), { removeFields: [] });
    const body = (built!.request.body as Buffer).toString('utf8');
    expect(JSON.parse(body)).toEqual({ ...parsed, model: 'claude-sonnet-4-20250514' });
    // Every other member keeps its recorded bytes, formatting included.
    const text = raw.toString('utf8');
    const thinking = text.slice(text.indexOf('"thinking"'), text.indexOf('}', text.indexOf('"thinking"')) + 1);
    const messages = text.slice(text.indexOf('"messages"'), text.indexOf('"model"'));
    expect(body).toContain(thinking);
    expect(body).toContain(messages.slice(0, messages.lastIndexOf(']') + 1));
  });
});

describe('anthropic-messages fixtures: streams', () => {
  const streams = [
    'stream-cache-read.sse',
    'stream-max-tokens.sse',
    'stream-pause-turn-web-search.sse',
    'stream-redacted-thinking.sse',
    'stream-text-minimal.sse',
    'stream-text.sse',
    'stream-thinking.sse',
    'stream-tool-no-args.sse',
    'stream-tool-use-input-json-delta.sse',
    'stream-web-search-citations.sse',
  ];
  for (const name of streams) {
    it(`${name}: the same events whole and cut at arbitrary offsets; a clean finish`, () => {
      const bytes = readFixture(use(name));
      const whole = decodeStream(provider, context(), [bytes]);
      for (const seed of [1, 7, 42, 1234]) {
        expect(decodeStream(provider, context(), splitAtRandomOffsets(bytes, seed, 97))).toEqual(whole);
      }
      if (bytes.length < 20_000) expect(decodeStream(provider, context(), [...bytes].map((byte) => Buffer.from([byte])))).toEqual(whole);
      expect(whole.filter((event) => event.type === 'error')).toEqual([]);
      expect(whole.filter((event) => event.type === 'finish')).toHaveLength(1);
      expect(whole[0]!.type).toBe('response-metadata');
    });

    it(`${name}: re-encoded by the Anthropic surface, the SDK accumulates the same message`, async () => {
      const text = readFixtureText(`${FOLDER}/${name}`);
      const events = decodeStream(provider, context(), [Buffer.from(text)]);
      const encoder = new MessagesStreamEncoder({} as ChatRequest, info);
      let encoded = '';
      for (const event of events) encoded += encoder.encode(event);
      encoded += encoder.end();
      expect(normaliseMessage(await sdkFinalMessage(encoded) as unknown as Json)).toEqual(normaliseMessage(await sdkFinalMessage(text) as unknown as Json));
    });
  }

  const textOf = (events: StreamEvent[]): string => events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');

  it('merges message_start and message_delta usage (2024 streams report only output tokens at the end)', () => {
    const events = decodeStream(provider, context(), [readFixture(`${FOLDER}/stream-max-tokens.sse`)]);
    const usage = events.filter((event) => event.type === 'usage').at(-1);
    expect(usage).toMatchObject({ usage: { inputTokens: 27, outputTokens: 15, totalTokens: 42 } });
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', finishReason: { unified: 'length', raw: 'max_tokens' } });
    expect(textOf(events)).toBe('The phrase "I think, therefore I am" (originally in Latin as');
  });

  it('reads cache reads from message_start', () => {
    const events = decodeStream(provider, context(), [readFixture(`${FOLDER}/stream-cache-read.sse`)]);
    expect(events.filter((event) => event.type === 'usage').at(-1)).toMatchObject({ usage: { inputTokens: 11 + 1031, cacheReadTokens: 1031, outputTokens: 100 } });
  });

  it('streams tool arguments as input_json_delta fragments', () => {
    const events = decodeStream(provider, context(), [readFixture(`${FOLDER}/stream-tool-use-input-json-delta.sse`)]);
    const deltas = events.filter((event) => event.type === 'tool-input-delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(events.find((event) => event.type === 'tool-call')).toEqual({
      type: 'tool-call',
      id: 'toolu_01DYJo37oETVsCdLTTcCWcdq',
      name: 'get_weather',
      arguments: deltas.map((event) => (event.type === 'tool-input-delta' ? event.delta : '')).join(''),
    });
  });

  it('gives a no-argument tool "{}" as its arguments', () => {
    const events = decodeStream(provider, context(), [readFixture(`${FOLDER}/stream-tool-no-args.sse`)]);
    expect(events.find((event) => event.type === 'tool-call')).toMatchObject({ name: 'updateIssueList', arguments: '{}' });
  });

  it('emits the thinking signature and redacted thinking data', () => {
    const thinking = decodeStream(provider, context(), [readFixture(`${FOLDER}/stream-thinking.sse`)]);
    expect(thinking.filter((event) => event.type === 'reasoning-signature')).toHaveLength(1);
    const redacted = decodeStream(provider, context(), [readFixture(`${FOLDER}/stream-redacted-thinking.sse`)]);
    expect(redacted.filter((event) => event.type === 'reasoning-start' && event.redactedData !== undefined)).toHaveLength(2);
  });

  it('turns citations_delta into citation events and reads thinking tokens on pause_turn', () => {
    const cited = decodeStream(provider, context(), [readFixture(`${FOLDER}/stream-web-search-citations.sse`)]);
    const citations = cited.filter((event) => event.type === 'citation');
    expect(citations).toHaveLength(9);
    expect(citations[0]).toMatchObject({ citation: { type: 'url', url: 'https://www.npr.org/sections/news/' } });
    const paused = decodeStream(provider, context(), [readFixture(`${FOLDER}/stream-pause-turn-web-search.sse`)]);
    expect(paused.find((event) => event.type === 'finish')).toMatchObject({ finishReason: { unified: 'pause', raw: 'pause_turn' } });
    expect(paused.filter((event) => event.type === 'usage').at(-1)).toMatchObject({ usage: { reasoningTokens: 261, outputTokens: 943 } });
  });
});

describe('anthropic-messages fixtures: errors and headers', () => {
  const headersOf = (name: string): Record<string, string> => {
    const recorded = readFixtureJson<{ headers: Record<string, string[]> }>(use(name));
    return Object.fromEntries(Object.entries(recorded.headers).map(([key, values]) => [key, values[0]!]));
  };

  it('error-400-invalid-request.json (+ headers): bad request, not retryable (x-should-retry: false)', () => {
    const error = provider.mapError(400, headersOf('error-400-invalid-request.headers.json'), readFixtureText(use('error-400-invalid-request.json')));
    expect(error).toMatchObject({ code: 'upstream_bad_request', status: 400, retryable: false, message: 'messages.0: Input does not match the expected shape.' });
    expect(error.upstream).toMatchObject({ type: 'invalid_request_error', headers: { 'request-id': 'req_01BjwuzUpsYgKjQJguJyvKb3' } });
  });

  it('error-401-authentication.json (+ headers): upstream authentication', () => {
    const error = provider.mapError(401, headersOf('error-401-authentication.headers.json'), readFixtureText(use('error-401-authentication.json')));
    expect(error).toMatchObject({ code: 'upstream_authentication', status: 401, retryable: false, message: 'invalid x-api-key' });
    expect(error.upstream?.headers).toEqual({ 'request-id': 'req_011CVa2kcigwBtMFroktdQ2q' });
  });

  it('error-404-model-not-found.json: upstream not found', () => {
    const error = provider.mapError(404, {}, readFixtureText(use('error-404-model-not-found.json')));
    expect(error).toMatchObject({ code: 'upstream_not_found', status: 404, message: 'model: claude-sonet-4-5', upstream: { type: 'not_found_error' } });
  });

  it('error-400-unsupported-effort.json: bad request with its message', () => {
    const error = provider.mapError(400, {}, readFixtureText(use('error-400-unsupported-effort.json')));
    expect(error).toMatchObject({ code: 'upstream_bad_request', message: expect.stringContaining("effort level 'xhigh'") });
  });

  it('recorded rate-limit headers: a retry waits for the exhausted limit to reset', () => {
    for (const name of ['stream-max-tokens.headers.json', 'text-max-tokens.headers.json']) {
      const headers = headersOf(name);
      const now = Date.parse(headers.date!);
      // As recorded, requests remain: nothing to wait for.
      expect(parseRetryAfter(headers, now)).toBeUndefined();
      const exhausted = { ...headers, 'anthropic-ratelimit-requests-remaining': '0' };
      expect(parseRetryAfter(exhausted, now)).toBe(Date.parse(headers['anthropic-ratelimit-requests-reset']!) - now);
      const reset = new Date(Date.now() + 30_000).toISOString();
      const error = provider.mapError(429, { ...exhausted, 'anthropic-ratelimit-requests-reset': reset }, JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }));
      expect(error).toMatchObject({ code: 'upstream_rate_limited', retryable: true });
      expect(error.retryAfterMs).toBeGreaterThan(25_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    }
  });
});

describe('anthropic-messages fixtures: coverage', () => {
  it('uses every recorded file', () => {
    expect(listFixtures(FOLDER).filter((name) => !used.has(name))).toEqual([]);
  });
});
