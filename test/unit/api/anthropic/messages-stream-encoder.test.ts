import { describe, expect, it } from 'vitest';
import { MessagesStreamEncoder } from '../../../../src/api/anthropic/messages-stream-encoder.js';
import { GatewayError, type ChatRequest, type StreamEvent } from '../../../../src/core/index.js';
import { readFixture } from '../../../helpers/fixtures.js';
import { callContext, createProvider, decodeStream, parseSse, sdkFinalMessage } from '../../providers/anthropic/anthropic-test-kit.js';

/*
 * The Anthropic event sequence written from canonical events of any provider. OpenAI-dialect
 * recordings are decoded by the OpenAI adapter and re-encoded here; the official SDK's
 * accumulator must make a valid message of the result.
 */

const openai = createProvider('openai', { keys: [{ value: 'sk-test' }] });
const info = { requestId: 'req_1', model: 'gpt-4o' };

function encode(events: StreamEvent[]): string {
  const encoder = new MessagesStreamEncoder({} as ChatRequest, info);
  let out = '';
  for (const event of events) out += event.type === 'error' ? encoder.error(event.error) : encoder.encode(event);
  if (!events.some((event) => event.type === 'error')) out += encoder.end();
  return out;
}

function fromOpenAi(name: string): string {
  return encode(decodeStream(openai, callContext(openai, 'gpt-4o'), [readFixture(`openai-chat/${name}`)]));
}

/** The wire events, with deltas of one block folded together for a readable snapshot. */
function outline(sse: string): string[] {
  const out: string[] = [];
  for (const event of parseSse([Buffer.from(sse)])) {
    const data = JSON.parse(event.data);
    const line = event.event === 'content_block_start' ? `${event.event} ${data.index} ${data.content_block.type}` : event.event === 'content_block_delta' ? `${event.event} ${data.index} ${data.delta.type}` : event.event === 'content_block_stop' ? `${event.event} ${data.index}` : event.event === 'message_delta' ? `${event.event} ${data.delta.stop_reason}` : event.event!;
    if (out.at(-1)?.startsWith(line)) out[out.length - 1] = out.at(-1)!.endsWith('…') ? out.at(-1)! : `${line} …`;
    else out.push(line);
  }
  return out;
}

describe('MessagesStreamEncoder', () => {
  it('writes the exact Anthropic sequence for an OpenAI text stream', async () => {
    const sse = fromOpenAi('stream-text-with-usage.sse');
    expect(outline(sse)).toMatchInlineSnapshot(`
      [
        "message_start",
        "content_block_start 0 text",
        "ping",
        "content_block_delta 0 text_delta …",
        "content_block_stop 0",
        "message_delta end_turn",
        "message_stop",
      ]
    `);
    const message = await sdkFinalMessage(sse);
    expect(message.content).toHaveLength(1);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it('serialises OpenAI parallel tool calls (open together) into sequential tool_use blocks', async () => {
    const sse = fromOpenAi('stream-parallel-tool-calls.sse');
    expect(outline(sse)).toMatchInlineSnapshot(`
      [
        "message_start",
        "content_block_start 0 tool_use",
        "ping",
        "content_block_delta 0 input_json_delta …",
        "content_block_stop 0",
        "content_block_start 1 tool_use",
        "content_block_delta 1 input_json_delta …",
        "content_block_stop 1",
        "message_delta tool_use",
        "message_stop",
      ]
    `);
    const message = await sdkFinalMessage(sse);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.map((block) => block.type === 'tool_use' && block.input)).toMatchInlineSnapshot(`
      [
        {
          "city": "Edinburgh",
          "country": "GB",
          "units": "c",
        },
        {
          "exchange": "NASDAQ",
          "ticker": "AAPL",
        },
      ]
    `);
  });

  it('message_start carries the usage known before content; message_delta the totals', () => {
    const sse = encode([
      { type: 'response-metadata', id: 'msg_x', model: 'claude-x' },
      { type: 'usage', usage: { inputTokens: 120, cacheReadTokens: 100, cacheWriteTokens: 0, outputTokens: 1 } },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Hi' },
      { type: 'text-end', id: 't' },
      { type: 'usage', usage: { inputTokens: 120, cacheReadTokens: 100, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 4 } },
      { type: 'finish', finishReason: { unified: 'length', raw: 'length' } },
    ]);
    const events = parseSse([Buffer.from(sse)]).map((event) => JSON.parse(event.data));
    expect(events[0].message).toMatchObject({ id: 'msg_x', model: 'claude-x', usage: { input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 1 } });
    expect(events.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { output_tokens: 9, input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens_details: { thinking_tokens: 4 } },
    });
  });

  it('thinking without a signature, refusals, and empty text blocks', () => {
    const sse = encode([
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'hmm' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'text-start', id: 'empty' },
      { type: 'text-end', id: 'empty' },
      { type: 'refusal-delta', delta: 'I cannot help with that.' },
      { type: 'finish', finishReason: { unified: 'content-filter', raw: 'content_filter' } },
    ]);
    expect(outline(sse)).toEqual([
      'message_start',
      'content_block_start 0 thinking',
      'ping',
      'content_block_delta 0 thinking_delta',
      'content_block_stop 0',
      'content_block_start 1 text',
      'content_block_delta 1 text_delta',
      'content_block_stop 1',
      'message_delta refusal',
      'message_stop',
    ]);
  });

  it('a failure mid-stream is an Anthropic error event', () => {
    const sse = encode([
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'part' },
      { type: 'error', error: new GatewayError({ code: 'upstream_overloaded', status: 529, retryable: true, message: 'Overloaded' }) },
    ]);
    const events = parseSse([Buffer.from(sse)]);
    expect(events.at(-1)).toEqual({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' });
  });

  it('a stream with no content still opens and closes the message', () => {
    expect(outline(encode([{ type: 'finish', finishReason: { unified: 'stop' } }]))).toEqual(['message_start', 'message_delta end_turn', 'message_stop']);
  });
});
