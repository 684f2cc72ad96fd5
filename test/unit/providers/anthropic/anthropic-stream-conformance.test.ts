import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/core/index.js';
import { callContext, createProvider, decodeStream } from './anthropic-test-kit.js';

/*
 * Conformance of the Anthropic stream decoder, case by case: text, tool calls with streamed
 * arguments, thinking, usage, each Anthropic error class as a mid-stream `error` event, a
 * stream cut off (abort), and tolerance of pings and unknown events. Streams are written the
 * way the API writes them (`event:` + padded `data:` lines).
 */

const provider = createProvider('anthropic', { keys: [{ value: 'sk-ant-test' }] });

function sse(...events: Array<Record<string, unknown>>): Buffer {
  return Buffer.from(events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}    \n\n`).join(''));
}

const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 0, output_tokens: 1 } } };
const textBlock = (index: number, text: string) => [
  { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index, delta: { type: 'text_delta', text } },
  { type: 'content_block_stop', index },
];
const end = (stopReason: string, outputTokens: number) => [
  { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } },
  { type: 'message_stop' },
];
const decode = (bytes: Buffer): StreamEvent[] => decodeStream(provider, callContext(provider, 'claude-sonnet-4-5'), [bytes]);
const types = (events: StreamEvent[]) => events.map((event) => event.type);

describe('Anthropic stream decoder conformance', () => {
  it('text', () => {
    const events = decode(sse(start, { type: 'ping' }, ...textBlock(0, 'Hello'), ...end('end_turn', 3)));
    expect(types(events)).toEqual(['response-metadata', 'usage', 'text-start', 'text-delta', 'text-end', 'usage', 'finish']);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' } });
  });

  it('usage: Anthropic input excludes cache tokens, canonical input includes them', () => {
    const events = decode(sse(start, ...textBlock(0, 'x'), ...end('end_turn', 7)));
    expect(events.filter((event) => event.type === 'usage').map((event) => event.type === 'usage' && { ...event.usage, raw: undefined })).toEqual([
      { inputTokens: 15, outputTokens: 1, totalTokens: 16, cacheReadTokens: 5, cacheWriteTokens: 0, raw: undefined },
      { inputTokens: 15, outputTokens: 7, totalTokens: 22, cacheReadTokens: 5, cacheWriteTokens: 0, raw: undefined },
    ]);
  });

  it('parallel tool calls with streamed arguments', () => {
    const events = decode(
      sse(
        start,
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_a', name: 'lookup', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"q":' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '"a"}' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_b', name: 'lookup', input: {} } },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":"b"}' } },
        { type: 'content_block_stop', index: 1 },
        ...end('tool_use', 20),
      ),
    );
    expect(events.filter((event) => event.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'toolu_a', name: 'lookup', arguments: '{"q":"a"}' },
      { type: 'tool-call', id: 'toolu_b', name: 'lookup', arguments: '{"q":"b"}' },
    ]);
    expect(events.filter((event) => event.type === 'tool-input-delta').map((event) => event.type === 'tool-input-delta' && event.delta)).toEqual(['{"q":', '"a"}', '{"q":"b"}']);
    expect(events.at(-1)).toMatchObject({ finishReason: { unified: 'tool-calls', raw: 'tool_use' } });
  });

  it('thinking with its signature, then text', () => {
    const events = decode(
      sse(
        start,
        { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think.' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
        { type: 'content_block_stop', index: 0 },
        ...textBlock(1, 'Answer'),
        ...end('end_turn', 9),
      ),
    );
    expect(events.slice(2, 6)).toEqual([
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'Let me think.' },
      { type: 'reasoning-signature', id: 'reasoning-0', signature: 'sig-1' },
      { type: 'reasoning-end', id: 'reasoning-0' },
    ]);
  });

  it('refusal and stop_sequence finish reasons; stop_sequence kept for the surface', () => {
    expect(decode(sse(start, ...textBlock(0, 'No.'), ...end('refusal', 2))).at(-1)).toMatchObject({ finishReason: { unified: 'content-filter', raw: 'refusal' } });
    const stopped = decode(sse(start, ...textBlock(0, 'a'), { type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' }, usage: { output_tokens: 2 } }, { type: 'message_stop' }));
    expect(stopped.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop_sequence' }, providerMetadata: { anthropic: { stop_sequence: 'END' } } });
  });

  it('an emulated structured-output tool streams as text', () => {
    const emulating = createProvider('vertex-claude', { type: 'vertex-anthropic', project: 'p', region: 'us-east5', keys: [{ value: 'ya29.token' }] });
    const context = callContext(emulating, 'claude-sonnet-4-5');
    emulating.chat!.buildRequest({ model: 'claude-sonnet-4-5', stream: true, maxOutputTokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], responseFormat: { type: 'json-schema', name: 'city', schema: { type: 'object' } } }, context);
    const events = decodeStream(emulating, context, [
      sse(
        start,
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_x', name: 'city', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city":"Paris"}' } },
        { type: 'content_block_stop', index: 0 },
        ...end('tool_use', 5),
      ),
    ]);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', id: 'text-0', delta: '{"city":"Paris"}' }]);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'stop', raw: 'tool_use' } });
  });

  const errorClasses: Array<[type: string, code: string, status: number, retryable: boolean]> = [
    ['overloaded_error', 'upstream_overloaded', 529, true],
    ['rate_limit_error', 'upstream_rate_limited', 429, true],
    ['api_error', 'stream_error', 500, true],
    ['timeout_error', 'upstream_timeout', 504, true],
    ['invalid_request_error', 'upstream_bad_request', 400, false],
    ['authentication_error', 'upstream_authentication', 401, false],
    ['permission_error', 'upstream_permission', 403, false],
    ['not_found_error', 'upstream_not_found', 404, false],
    ['request_too_large', 'upstream_bad_request', 413, false],
    ['billing_error', 'upstream_permission', 402, false],
  ];
  for (const [type, code, status, retryable] of errorClasses) {
    it(`a mid-stream ${type} event ends the stream as ${code}`, () => {
      const events = decode(sse(start, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'par' } }, { type: 'error', error: { type, message: `${type} happened` } }));
      const last = events.at(-1)!;
      expect(last.type).toBe('error');
      expect(last.type === 'error' && last.error).toMatchObject({ code, status, retryable, message: `${type} happened`, upstream: { type } });
      expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
      expect(events.some((event) => event.type === 'finish')).toBe(false);
    });
  }

  it('a prompt-too-long error maps to context_length_exceeded', () => {
    const events = decode(sse(start, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 208924 tokens > 200000 maximum' } }));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'context_length_exceeded' } });
  });

  it('abort: a stream cut off mid-tool-call ends with a retryable stream_error and no half tool call', () => {
    const events = decode(
      sse(start, { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_a', name: 'lookup', input: {} } }, { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"q":' } }),
    );
    expect(types(events).slice(-2)).toEqual(['tool-input-end', 'error']);
    expect(events.at(-1)).toMatchObject({ error: { code: 'stream_error', retryable: true } });
    expect(events.some((event) => event.type === 'tool-call')).toBe(false);
  });

  it('abort after message_delta but before message_stop is still an incomplete stream', () => {
    const events = decode(sse(start, ...textBlock(0, 'x'), { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'stream_error' } });
  });

  it('tolerates pings, unknown events, unknown delta types and blank data; rejects non-JSON', () => {
    const tolerant = decode(Buffer.concat([sse(start, { type: 'ping' }, { type: 'future_event', x: 1 }), Buffer.from('event: ping\ndata: \n\n'), sse(...textBlock(0, 'ok'), { type: 'content_block_delta', index: 0, delta: { type: 'future_delta' } }, ...end('end_turn', 1))]));
    expect(tolerant.filter((event) => event.type === 'error')).toEqual([]);
    const broken = decode(Buffer.from('event: message_start\ndata: {not json\n\n'));
    expect(broken).toEqual([expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: 'upstream_bad_response' }) })]);
  });

  it('a tool_use whose input arrives whole in content_block_start', () => {
    const events = decode(sse(start, { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_w', name: 'f', input: { a: 1 } } }, { type: 'content_block_stop', index: 0 }, ...end('tool_use', 3)));
    expect(events.find((event) => event.type === 'tool-call')).toMatchObject({ arguments: '{"a":1}' });
  });
});
