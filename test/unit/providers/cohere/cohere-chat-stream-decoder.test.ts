import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/core/index.js';
import { CohereChatStreamDecoder } from '../../../../src/providers/cohere/cohere-chat-stream-decoder.js';
import { decodeSse, summarise } from '../../../helpers/decode-stream.js';
import { listFixtures, readFixture, splitAtRandomOffsets } from '../../../helpers/fixtures.js';

const decoder = () => new CohereChatStreamDecoder('cohere', 'command-a-03-2025');
const decodeText = (text: string) => decodeSse([Buffer.from(text)], decoder());
const decodeFixture = (name: string) => decodeSse([readFixture(name)], decoder());
const of = <T extends StreamEvent['type']>(events: StreamEvent[], type: T) => events.filter((event): event is Extract<StreamEvent, { type: T }> => event.type === type);
const frame = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const START = frame('message-start', { id: 'm1', delta: { message: { role: 'assistant' } } });

describe('CohereChatStreamDecoder (recorded streams)', () => {
  const streams = listFixtures('cohere').filter((file) => file.endsWith('.sse'));

  it.each(streams)('%s decodes the same whole and split at arbitrary offsets', (name) => {
    const whole = decodeFixture(name);
    for (const seed of [1, 7, 42, 1234]) {
      for (const maxPiece of [1, 5, 64]) {
        expect(decodeSse(splitAtRandomOffsets(readFixture(name), seed, maxPiece), decoder())).toEqual(whole);
      }
    }
    expect(whole.at(-1)?.type).toBe('finish');
    expect(of(whole, 'error')).toEqual([]);
  });

  it('text: metadata, one text block, usage, finish', () => {
    const events = decodeFixture('cohere/stream-text.sse');
    expect(events[0]).toEqual({ type: 'response-metadata', id: '321d178c-2c12-44d3-ae42-2f5510f6b1cc', model: 'command-a-03-2025' });
    expect(of(events, 'text-delta').map((event) => event.delta).join('')).toBe('The capital of France is Paris.');
    expect(events.map((event) => event.type)).toEqual([
      'response-metadata',
      'text-start',
      ...Array(7).fill('text-delta'),
      'text-end',
      'usage',
      'finish',
    ]);
    expect(of(events, 'usage')[0]!.usage).toMatchObject({ inputTokens: 507, outputTokens: 10, cacheReadTokens: 448, billedInputTokens: 12, billedOutputTokens: 7 });
    expect(of(events, 'finish')[0]!.finishReason).toEqual({ unified: 'stop', raw: 'COMPLETE' });
  });

  it('tools: the tool plan as text, then two parallel calls with streamed argument fragments', () => {
    const events = decodeFixture('cohere/stream-tool-call.sse');
    const plan = of(events, 'text-delta').map((event) => event.delta).join('');
    expect(plan).toBe('I will use the weather tool to find the weather in San Francisco and the cityAttractions tool to find attractions in San Francisco.');
    expect(of(events, 'tool-input-start')).toEqual([
      { type: 'tool-input-start', id: 'weather_e8p4pn45zt0t', name: 'weather' },
      { type: 'tool-input-start', id: 'cityAttractions_pyxssbwnq9fq', name: 'cityAttractions' },
    ]);
    expect(of(events, 'tool-input-delta').filter((event) => event.id === 'weather_e8p4pn45zt0t').length).toBe(7);
    expect(of(events, 'tool-call')).toEqual([
      { type: 'tool-call', id: 'weather_e8p4pn45zt0t', name: 'weather', arguments: '{"location": "San Francisco"}' },
      { type: 'tool-call', id: 'cityAttractions_pyxssbwnq9fq', name: 'cityAttractions', arguments: '{"city": "San Francisco"}' },
    ]);
    // The plan block ends before the first call starts; each call ends before the next starts.
    const order = events.map((event) => `${event.type}:${'id' in event ? event.id : ''}`);
    expect(order.indexOf('text-end:tool-plan-0')).toBeLessThan(order.indexOf('tool-input-start:weather_e8p4pn45zt0t'));
    expect(order.indexOf('tool-call:weather_e8p4pn45zt0t')).toBeLessThan(order.indexOf('tool-input-start:cityAttractions_pyxssbwnq9fq'));
    expect(of(events, 'finish')[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'TOOL_CALL' });
  });

  it('a call without argument deltas completes with {}', () => {
    const events = decodeFixture('cohere/stream-empty-tool-call-args.sse');
    expect(of(events, 'tool-input-delta')).toEqual([]);
    expect(of(events, 'tool-call')).toEqual([{ type: 'tool-call', id: 'currentTime_y46ar19t5gvw', name: 'currentTime', arguments: '{}' }]);
  });

  it('reasoning: a thinking block, then the answer in its own text block', () => {
    const events = decodeFixture('cohere/stream-reasoning.sse');
    expect(of(events, 'reasoning-start')).toEqual([{ type: 'reasoning-start', id: 'reasoning-0' }]);
    expect(of(events, 'reasoning-end')).toEqual([{ type: 'reasoning-end', id: 'reasoning-0' }]);
    expect(of(events, 'reasoning-delta').map((event) => event.delta).join('')).toMatch(/^The user is asking for the sum of 2 and 2\./);
    expect(of(events, 'text-delta').map((event) => event.delta).join('')).toBe('The answer to 2 + 2 is 4.');
    expect(of(events, 'text-start')).toEqual([{ type: 'text-start', id: 'text-1' }]);
    expect(of(events, 'usage')[0]!.usage).toMatchObject({ outputTokens: 54, billedOutputTokens: 50 });
  });
});

describe('CohereChatStreamDecoder (conformance: citations, errors, truncation)', () => {
  it('citation-start after the text block becomes a citation of that block', () => {
    const citation = { start: 4, end: 9, text: 'Paris', sources: [{ type: 'document', id: 'doc:0', document: { id: 'doc:0', title: 'geo.txt', text: 'Paris is the capital' } }], type: 'TEXT_CONTENT' };
    const events = decodeText(
      START +
        frame('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }) +
        frame('content-delta', { index: 0, delta: { message: { content: { text: 'See Paris.' } } } }) +
        frame('content-end', { index: 0 }) +
        frame('citation-start', { index: 0, delta: { message: { citations: citation } } }) +
        frame('citation-end', { index: 0 }) +
        frame('message-end', { delta: { finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 3, output_tokens: 3 }, tokens: { input_tokens: 9, output_tokens: 4 } } } }),
    );
    expect(of(events, 'citation')).toEqual([
      { type: 'citation', id: 'text-0', citation: { type: 'document', startIndex: 4, endIndex: 9, title: 'geo.txt', citedText: 'Paris is the capital', documentIndex: 0, raw: citation } },
    ]);
  });

  it('finish_reason ERROR at message-end is a retryable stream error carrying its message', () => {
    const events = decodeText(START + frame('message-end', { delta: { finish_reason: 'ERROR', error: 'internal failure', usage: { billed_units: { input_tokens: 1, output_tokens: 0 } } } }));
    expect(summarise(events).slice(1)).toEqual([
      expect.objectContaining({ type: 'usage' }),
      { type: 'error', code: 'stream_error', retryable: true },
    ]);
    const error = of(events, 'error')[0]!.error;
    expect(error.message).toContain('internal failure');
  });

  it('finish_reason TIMEOUT is an upstream timeout', () => {
    const events = decodeText(START + frame('message-end', { delta: { finish_reason: 'TIMEOUT' } }));
    expect(summarise(events).at(-1)).toEqual({ type: 'error', code: 'upstream_timeout', retryable: true });
  });

  it('an error body inside the stream is classified like an HTTP error (rate limit)', () => {
    const events = decodeText(START + `data: ${JSON.stringify({ message: 'You are using a Trial key, which is limited to 10 API calls / minute.', status_code: 429 })}\n\n`);
    expect(summarise(events).at(-1)).toEqual({ type: 'error', code: 'upstream_rate_limited', retryable: true });
  });

  it('a stream cut before message-end ends with a retryable stream_error and closes open blocks', () => {
    const events = decodeText(
      START +
        frame('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }) +
        frame('content-delta', { index: 0, delta: { message: { content: { text: 'Hal' } } } }),
    );
    expect(summarise(events).slice(-2)).toEqual([{ type: 'text-end', id: 'text-0' }, { type: 'error', code: 'stream_error', retryable: true }]);
  });

  it('a stream cut inside a tool call completes the call before the error', () => {
    const events = decodeText(
      START +
        frame('tool-call-start', { index: 0, delta: { message: { tool_calls: { id: 'c1', type: 'function', function: { name: 'f', arguments: '' } } } } }) +
        frame('tool-call-delta', { index: 0, delta: { message: { tool_calls: { function: { arguments: '{"a":' } } } } }),
    );
    expect(summarise(events).slice(-3)).toEqual([
      { type: 'tool-input-end', id: 'c1' },
      { type: 'tool-call', id: 'c1', name: 'f', arguments: '{"a":' },
      { type: 'error', code: 'stream_error', retryable: true },
    ]);
  });

  it('data that is not JSON is a bad response (retryable: another attempt may succeed before commit); nothing is decoded after a failure', () => {
    const events = decodeText(START + 'data: {not json\n\n' + frame('message-end', { delta: { finish_reason: 'COMPLETE' } }));
    expect(summarise(events).slice(1)).toEqual([{ type: 'error', code: 'upstream_bad_response', retryable: true }]);
  });

  it('unknown event types (debug, future ones) are ignored', () => {
    const events = decodeText(START + frame('debug', { prompt: 'x' }) + frame('message-end', { delta: { finish_reason: 'STOP_SEQUENCE' } }));
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'finish']);
    expect(of(events, 'finish')[0]!.finishReason).toEqual({ unified: 'stop', raw: 'STOP_SEQUENCE' });
  });
});
