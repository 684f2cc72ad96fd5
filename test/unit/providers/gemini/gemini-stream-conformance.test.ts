import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/core/index.js';
import { readFixture, readFixtureText } from '../../../helpers/fixtures.js';
import { decodeGeminiStream, summarize } from './stream-helpers.js';

/**
 * The stream-decoder conformance cases every provider adapter answers (text, tool calls,
 * streamed tool arguments, reasoning, usage, each error class, a stream cut short), here for
 * the Gemini decoder. Recorded streams where they exist; error events use Google's documented
 * google.rpc.Status shape (no recorded mid-stream Gemini error exists, see the fixture README).
 */
const sse = (...chunks: unknown[]): Buffer => Buffer.from(chunks.map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\r\n\r\n`).join(''));
const firstChunk = readFixtureText('gemini/stream-text.sse').split('\r\n\r\n')[0]!.slice('data: '.length);
const errorChunk = (code: number, status: string, message: string, details?: unknown[]) => ({ error: { code, message, status, ...(details ? { details } : {}) } });
const lastError = (events: StreamEvent[]) => {
  const last = events.at(-1)!;
  if (last.type !== 'error') throw new Error(`expected an error event, got ${last.type}`);
  return last.error;
};

describe('Gemini stream decoder conformance', () => {
  it('text: block start, deltas, end, finish; usage', () => {
    const events = decodeGeminiStream([readFixture('gemini/stream-text.sse')]);
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'text-start', 'text-delta', 'usage', 'text-delta', 'usage', 'text-delta', 'text-end', 'finish', 'usage']);
  });

  it('tool call: start, one delta with the whole arguments, end, call; finish tool-calls', () => {
    expect(summarize(decodeGeminiStream([readFixture('gemini/stream-function-call.sse')])).slice(1, 6)).toEqual([
      'tool-input-start call_1 get_capital',
      'tool-input-delta call_1 "{\\"country\\":\\"France\\"}"',
      'tool-input-end call_1',
      'tool-call call_1 get_capital {"country":"France"}',
      'finish tool-calls/STOP',
    ]);
  });

  it('streamed tool arguments (Vertex partial args): several deltas per call', () => {
    const events = decodeGeminiStream([readFixture('gemini/vertex-stream-function-call-partial-args.sse')]);
    expect(events.filter((event) => event.type === 'tool-input-delta').length).toBe(6);
  });

  it('reasoning: reasoning block before the text, signature event', () => {
    const types = decodeGeminiStream([readFixture('gemini/stream-thinking.sse')]).map((event) => event.type);
    expect(types.indexOf('reasoning-start')).toBeLessThan(types.indexOf('text-start'));
    expect(types).toContain('reasoning-signature');
  });

  it('usage: inputs, outputs including thoughts, reasoning, total from the last chunk', () => {
    const usage = decodeGeminiStream([readFixture('gemini/stream-usage-mid-stream.sse')]).filter((event) => event.type === 'usage').at(-1);
    expect(usage?.type === 'usage' && usage.usage).toMatchObject({ inputTokens: 18, outputTokens: 115, reasoningTokens: 35, totalTokens: 133 });
  });

  it('a prompt blocked on a stream finishes with content-filter', () => {
    const events = decodeGeminiStream([sse({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, responseId: 'r' })]);
    expect(summarize(events)).toEqual(['metadata r undefined', 'finish content-filter/SAFETY promptFeedback', 'usage in=4 out=undefined reasoning=undefined cached=undefined total=4']);
  });

  it('error classes inside the stream keep their code, status, retryability and retry delay', () => {
    const cases: Array<[unknown, string]> = [
      [errorChunk(429, 'RESOURCE_EXHAUSTED', 'Quota', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }]), 'error upstream_rate_limited 429 retryable=true after=7000'],
      [errorChunk(503, 'UNAVAILABLE', 'The model is overloaded.'), 'error upstream_overloaded 503 retryable=true'],
      [errorChunk(500, 'INTERNAL', 'An internal error has occurred.'), 'error stream_error 500 retryable=true'],
      [errorChunk(504, 'DEADLINE_EXCEEDED', 'Deadline'), 'error upstream_timeout 504 retryable=true'],
      [errorChunk(400, 'INVALID_ARGUMENT', 'Bad'), 'error upstream_bad_request 400 retryable=false'],
      [errorChunk(403, 'PERMISSION_DENIED', 'No'), 'error upstream_permission 403 retryable=false'],
      ['not json at all', 'error upstream_bad_response 502 retryable=true'],
    ];
    for (const [chunk, expected] of cases) {
      const events = decodeGeminiStream([sse(firstChunk, chunk, firstChunk)]);
      expect(summarize([events.at(-1)!])[0]).toBe(expected);
      // The open text block is closed before the error; nothing is decoded after it.
      expect(events.at(-2)?.type).toBe('text-end');
    }
  });

  it('a stream cut short ends with a retryable error: between events (no finishReason) or inside one (broken JSON)', () => {
    const bytes = readFixture('gemini/stream-text.sse');
    const betweenEvents = bytes.subarray(0, bytes.lastIndexOf('data: '));
    const error = lastError(decodeGeminiStream([betweenEvents]));
    expect([error.code, error.retryable]).toEqual(['stream_error', true]);
    const insideEvent = bytes.subarray(0, bytes.indexOf('finishReason'));
    const broken = lastError(decodeGeminiStream([insideEvent]));
    expect([broken.code, broken.retryable]).toEqual(['upstream_bad_response', true]);
  });
});
