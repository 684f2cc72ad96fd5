import { describe, expect, it } from 'vitest';
import { CohereChatStreamEncoder } from '../../../../src/api/cohere/cohere-chat-stream-encoder.js';
import { decodeCohereEmbedRequest, encodeCohereEmbedResponse } from '../../../../src/api/cohere/cohere-embed.js';
import { decodeCohereChatRequest } from '../../../../src/api/cohere/decode-cohere-chat-request.js';
import { encodeCohereChatResponse } from '../../../../src/api/cohere/encode-cohere-chat-response.js';
import { base64ToFloats } from '../../../../src/api/openai/embeddings.js';
import { encodeCohereError } from '../../../../src/api/cohere/encode-cohere-error.js';
import { GatewayError, type StreamEvent } from '../../../../src/core/index.js';
import { CohereChatStreamDecoder } from '../../../../src/providers/cohere/cohere-chat-stream-decoder.js';
import { decodeCohereChatResponse } from '../../../../src/providers/cohere/decode-cohere-chat-response.js';
import { decodeCohereEmbedResponse } from '../../../../src/providers/cohere/cohere-embeddings.js';
import { OpenAiChatStreamDecoder } from '../../../../src/providers/openai/openai-chat-stream-decoder.js';
import { SseParser } from '../../../../src/transport/sse-parser.js';
import { decodeSse } from '../../../helpers/decode-stream.js';
import { readFixture, readFixtureJson } from '../../../helpers/fixtures.js';

const INFO = { requestId: 'req-1', model: 'command-a-03-2025' };

/** The JSON data of every event in an SSE text, with its event name. */
function frames(text: string | Buffer): Array<{ event: string | undefined; data: Record<string, unknown> }> {
  const out: Array<{ event: string | undefined; data: Record<string, unknown> }> = [];
  const parser = new SseParser((event) => {
    if (event !== null) out.push({ event: event.event, data: JSON.parse(event.data) as Record<string, unknown> });
  });
  parser.push(Buffer.isBuffer(text) ? text : Buffer.from(text));
  parser.end();
  return out;
}

function encodeAll(events: StreamEvent[]): string {
  const encoder = new CohereChatStreamEncoder(INFO);
  let out = '';
  for (const event of events) out += event.type === 'error' ? encoder.error(event.error) : encoder.encode(event);
  if (!events.some((event) => event.type === 'error')) out += encoder.end();
  return out;
}

describe('Cohere surface: responses', () => {
  it.each(['text.json', 'tool-call.json', 'citations.json', 'reasoning.json', 'finish-max-tokens.json', 'cached-tokens.json'])(
    'cohere/%s round-trips Cohere → canonical → Cohere unchanged',
    (name) => {
      const original = readFixtureJson<Record<string, unknown>>(`cohere/${name}`);
      const canonical = decodeCohereChatResponse(original, 'cohere', 'command-a-03-2025');
      const encoded = JSON.parse(encodeCohereChatResponse(canonical, INFO)) as Record<string, unknown>;
      const message = original.message as Record<string, unknown>;
      // Cohere omits empty content on tool-call turns; the encoder always sends the (empty) list.
      const expected = { ...original, message: { content: [], ...message } };
      expect(encoded).toEqual(expected);
    },
  );

  it('an OpenAI answer with tool calls: the text becomes the tool plan, finish TOOL_CALL, usage as billed and processed', () => {
    const canonical = {
      id: 'chatcmpl-1',
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          content: [
            { type: 'text' as const, text: 'Checking.' },
            { type: 'tool-call' as const, id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
          ],
          finishReason: { unified: 'tool-calls' as const, raw: 'tool_calls' },
        },
      ],
      usage: { inputTokens: 50, outputTokens: 12, cacheReadTokens: 10 },
    };
    expect(JSON.parse(encodeCohereChatResponse(canonical, INFO))).toEqual({
      id: 'chatcmpl-1',
      finish_reason: 'TOOL_CALL',
      message: {
        role: 'assistant',
        tool_plan: 'Checking.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
        content: [],
      },
      usage: { billed_units: { input_tokens: 50, output_tokens: 12 }, tokens: { input_tokens: 50, output_tokens: 12 }, cached_tokens: 10 },
    });
  });

  it('errors use Cohere’s unenveloped shape with the canonical status', () => {
    const encoded = encodeCohereError(new GatewayError({ code: 'upstream_rate_limited', status: 429, message: 'slow down', retryAfterMs: 2000 }));
    expect(encoded.status).toBe(429);
    expect(JSON.parse(encoded.body)).toEqual({ message: 'slow down', code: 'upstream_rate_limited' });
    expect(encoded.headers['retry-after']).toBe('2');
  });

  it('statuses Cohere never sends become the Cohere status of the same canonical error (one SDK class per kind of failure)', () => {
    const status = (code: ConstructorParameters<typeof GatewayError>[0]['code'], from: number) => encodeCohereError(new GatewayError({ code, status: from, message: 'x' })).status;
    // Anthropic's overloaded 529 and an unreachable provider's 502 are ServiceUnavailableError, as an OpenAI 503 is.
    expect([status('upstream_overloaded', 529), status('upstream_overloaded', 503), status('upstream_unreachable', 502)]).toEqual([503, 503, 503]);
    // Bedrock's 424 model errors are InternalServerError; Cohere's own statuses are kept.
    expect([status('upstream_error', 424), status('stream_error', 502), status('upstream_timeout', 504), status('upstream_error', 500), status('upstream_not_found', 404)]).toEqual([500, 500, 504, 500, 404]);
  });
});

describe('Cohere surface: streams', () => {
  it.each(['stream-text.sse', 'stream-tool-call.sse', 'stream-reasoning.sse', 'stream-empty-tool-call-args.sse'])(
    'cohere/%s round-trips Cohere → canonical → Cohere event for event',
    (name) => {
      const original = frames(readFixture(`cohere/${name}`));
      const canonical = decodeSse([readFixture(`cohere/${name}`)], new CohereChatStreamDecoder('cohere', 'command-a-03-2025'));
      expect(frames(encodeAll(canonical))).toEqual(original);
    },
  );

  it('an OpenAI parallel tool-call stream becomes tool-call-start/delta/end per call, then message-end with usage', () => {
    const canonical = decodeSse([readFixture('openai-chat/stream-tool-call-with-usage.sse')], new OpenAiChatStreamDecoder('openai'));
    const events = frames(encodeAll(canonical));
    expect(events[0]!.event).toBe('message-start');
    expect(events.map((event) => event.event)).toContain('tool-call-start');
    const last = events.at(-1)!;
    expect(last.event).toBe('message-end');
    expect((last.data.delta as Record<string, unknown>).finish_reason).toBe('TOOL_CALL');
    for (const event of events) expect(event.data.type).toBe(event.event);
  });

  it('a failure after the start is a message-end with finish_reason ERROR and the message', () => {
    const encoder = new CohereChatStreamEncoder(INFO);
    let out = encoder.encode({ type: 'text-start', id: 't' }) + encoder.encode({ type: 'text-delta', id: 't', delta: 'Hel' });
    out += encoder.error(new GatewayError({ code: 'stream_error', status: 502, message: 'upstream died' }));
    expect(frames(out).map((event) => event.data)).toEqual([
      { id: 'req-1', type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } },
      { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } },
      { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Hel' } } } },
      { type: 'content-end', index: 0 },
      { type: 'message-end', delta: { error: 'upstream died', finish_reason: 'ERROR', usage: { billed_units: {}, tokens: {} } } },
    ]);
  });
});

describe('Cohere surface: requests', () => {
  it('Cohere-only fields travel in providerOptions.cohere; tool_choice and thinking are canonical', () => {
    const { request } = decodeCohereChatRequest({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'hi' }],
      documents: [{ id: 'a', data: { text: 'x' } }],
      safety_mode: 'OFF',
      tool_choice: 'NONE',
      thinking: { type: 'enabled', token_budget: 500 },
      response_format: { type: 'json_object' },
      stream: true,
    });
    expect(request).toMatchObject({
      toolChoice: { type: 'none' },
      reasoning: { enabled: true, budgetTokens: 500 },
      responseFormat: { type: 'json' },
      stream: true,
      includeUsage: true,
      providerOptions: { cohere: { documents: [{ id: 'a', data: { text: 'x' } }], safety_mode: 'OFF' } },
    });
  });

  it('validation errors name the field', () => {
    expect(() => decodeCohereChatRequest({ model: 'm', messages: [{ role: 'robot', content: 'x' }] })).toThrowError(expect.objectContaining({ param: 'messages[0].role', status: 400 }));
    expect(() => decodeCohereChatRequest({ model: 'm', messages: [], tool_choice: 'ANY' })).toThrowError(expect.objectContaining({ param: 'tool_choice' }));
  });

  it('embed: floats and base64 are produced by the surface; quantised types are asked of the provider', () => {
    const request = decodeCohereEmbedRequest({ model: 'embed-v4.0', texts: ['a', 'b'], input_type: 'search_query', embedding_types: ['float', 'base64'] });
    expect(request.providerOptions).toBeUndefined();
    const response = decodeCohereEmbedResponse(readFixtureJson('cohere/embed.json'), 'cohere', 'embed-v4.0');
    const encoded = JSON.parse(encodeCohereEmbedResponse(response, request, 'req-1')) as { embeddings: { float: number[][]; base64: string[] }; meta: unknown };
    expect(encoded.embeddings.float[0]).toEqual([0.03302002, 0.020904541, -0.019744873, -0.0625, 0.04437256]);
    expect(base64ToFloats(encoded.embeddings.base64[0]!)[3]).toBe(-0.0625);
    expect(encoded.meta).toEqual({ api_version: { version: '2' }, billed_units: { input_tokens: 10 } });
    const quantised = decodeCohereEmbedRequest({ model: 'embed-v4.0', texts: ['a'], input_type: 'search_query', embedding_types: ['int8'] });
    expect(quantised.providerOptions).toEqual({ cohere: { embedding_types: ['int8'] } });
  });
});
