import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/core/index.js';
import { encodeEventStreamEvent, encodeEventStreamException, encodeEventStreamMessage, EventStreamFramer } from '../../../../src/transport/aws-eventstream.js';
import { readFixture, readFixtureText, splitAtRandomOffsets } from '../../../helpers/fixtures.js';
import { bedrockProvider, callContext, STATIC_KEYS } from './bedrock-test-provider.js';

const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });

function decodeBytes(pieces: Buffer[], model = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'): StreamEvent[] {
  const decoder = provider.chat!.createStreamDecoder(callContext(provider, model));
  const events: StreamEvent[] = [];
  const emit = (event: StreamEvent): void => {
    events.push(event);
  };
  const framer = new EventStreamFramer((message) => decoder.push(message, emit));
  for (const piece of pieces) framer.push(piece);
  framer.end();
  decoder.end(emit);
  return events;
}

const decodeFixture = (name: string, model?: string): StreamEvent[] => decodeBytes([readFixture(`bedrock-converse/${name}.eventstream`)], model);

/** The recorded decoded view, for the expected text and usage. */
interface RecordedPayload {
  delta?: { text?: string; reasoningContent?: { text?: string; redactedContent?: string } };
  usage?: { outputTokens: number };
  stopReason?: string;
}

function recordedPayloads(name: string): Array<{ type: string; payload: RecordedPayload }> {
  return readFixtureText(`bedrock-converse/${name}.events.jsonl`)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line))
    .map((frame) => ({ type: frame[':event-type'], payload: frame.payload }));
}

const textOf = (events: StreamEvent[], type: 'text-delta' | 'reasoning-delta'): string =>
  events.map((event) => (event.type === type ? event.delta : '')).join('');

describe('bedrock converse: stream decoding', () => {
  for (const name of ['converse-stream-text', 'converse-stream-tool-use', 'converse-stream-thinking', 'converse-stream-redacted-thinking', 'converse-stream-cache-write']) {
    it(`${name}: the same events whole and split at arbitrary offsets`, () => {
      const whole = decodeFixture(name);
      const bytes = readFixture(`bedrock-converse/${name}.eventstream`);
      for (const seed of [3, 11, 42]) expect(decodeBytes(splitAtRandomOffsets(bytes, seed, 23))).toEqual(whole);
      const recorded = recordedPayloads(name);
      const text = recorded.map((frame) => (typeof frame.payload.delta?.text === 'string' ? frame.payload.delta.text : '')).join('');
      expect(textOf(whole, 'text-delta')).toBe(text);
      const reasoning = recorded.map((frame) => frame.payload.delta?.reasoningContent?.text ?? '').join('');
      expect(textOf(whole, 'reasoning-delta')).toBe(reasoning);
      const usage = recorded.find((frame) => frame.type === 'metadata')!.payload.usage!;
      expect(whole.find((event) => event.type === 'usage')).toMatchObject({ usage: { outputTokens: usage.outputTokens, raw: usage } });
      expect(whole.at(-1)).toMatchObject({ type: 'finish', finishReason: { raw: recorded.find((frame) => frame.type === 'messageStop')!.payload.stopReason } });
    });
  }

  it('text then a streamed tool call (Nova, <thinking> in plain text)', () => {
    const events = decodeFixture('converse-stream-tool-use', 'us.amazon.nova-micro-v1:0').filter((event) => event.type !== 'text-delta');
    expect(events).toMatchInlineSnapshot(`
      [
        {
          "model": "us.amazon.nova-micro-v1:0",
          "type": "response-metadata",
        },
        {
          "id": "text-0-0",
          "type": "text-start",
        },
        {
          "id": "text-0-0",
          "type": "text-end",
        },
        {
          "id": "tooluse_lAG_zP8QRHmSYOwZzzaCqA",
          "name": "get_temperature",
          "type": "tool-input-start",
        },
        {
          "delta": "{"city":"Paris"}",
          "id": "tooluse_lAG_zP8QRHmSYOwZzzaCqA",
          "type": "tool-input-delta",
        },
        {
          "id": "tooluse_lAG_zP8QRHmSYOwZzzaCqA",
          "type": "tool-input-end",
        },
        {
          "arguments": "{"city":"Paris"}",
          "id": "tooluse_lAG_zP8QRHmSYOwZzzaCqA",
          "name": "get_temperature",
          "type": "tool-call",
        },
        {
          "type": "usage",
          "usage": {
            "inputTokens": 471,
            "outputTokens": 91,
            "raw": {
              "inputTokens": 471,
              "outputTokens": 91,
              "totalTokens": 562,
            },
            "totalTokens": 562,
          },
        },
        {
          "finishReason": {
            "raw": "tool_use",
            "unified": "tool-calls",
          },
          "providerMetadata": {
            "bedrock": {
              "metrics": {
                "latencyMs": 422,
              },
            },
          },
          "type": "finish",
        },
      ]
    `);
  });

  it('reasoning deltas, its signature, then text', () => {
    const events = decodeFixture('converse-stream-thinking').filter((event) => event.type !== 'text-delta' && event.type !== 'reasoning-delta');
    expect(events).toMatchInlineSnapshot(`
      [
        {
          "model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
          "type": "response-metadata",
        },
        {
          "id": "reasoning-0-0",
          "type": "reasoning-start",
        },
        {
          "id": "reasoning-0-0",
          "signature": "Eu0CCkgIBxABGAIqQJDccbDQkr81n7QjZ0Fi43umSvw0YvnGkMPEpaGAa2btYHyWw06KhwckvsnKzpKcxiRJT35meoG4/pdrTUiy2UISDPDaEWfOl3+HlRVsCxoMzfiqBp252RMvpmEyIjCbQ97Ac9Epkr5mgxeu1vGtJg+fDWIg0UnpMM8NYknhhvJmsXpYrfquwGL1ZnlBslUq0gHtbAAPwlWPmiQXU7gDQCDW9IdMVyw42b4f5MrAlpWkPWOJc9H+yYv0TpP/jY72SD1opqwkWnBgkzbi7A2jPmEFzIMQSO1KDXha5ADqQ3cLYMmVdNTSH9wlM7G7/JJ2/cqowqkwD6/q1AnYzcPte9iC67fY1LYN0NMCOSABFojP1rmkv9YBEulx5Y6eQpeVXBQiIqcGoCmWSumpGBskS1KxGerUmzUB0JmJnTENv4x3fSGSUSEPqMiz6Ebao8sVkb1wCWuZEXWJGtiQLMIm1o471iEYAQ==",
          "type": "reasoning-signature",
        },
        {
          "id": "reasoning-0-0",
          "type": "reasoning-end",
        },
        {
          "id": "text-1-1",
          "type": "text-start",
        },
        {
          "id": "text-1-1",
          "type": "text-end",
        },
        {
          "type": "usage",
          "usage": {
            "inputTokens": 36,
            "outputTokens": 73,
            "raw": {
              "inputTokens": 36,
              "outputTokens": 73,
              "totalTokens": 109,
            },
            "totalTokens": 109,
          },
        },
        {
          "finishReason": {
            "raw": "end_turn",
            "unified": "stop",
          },
          "providerMetadata": {
            "bedrock": {
              "metrics": {
                "latencyMs": 1999,
              },
            },
          },
          "type": "finish",
        },
      ]
    `);
  });

  it('redacted reasoning arrives as one opaque block', () => {
    const events = decodeFixture('converse-stream-redacted-thinking');
    const start = events.find((event) => event.type === 'reasoning-start');
    const recorded = recordedPayloads('converse-stream-redacted-thinking').find((frame) => frame.payload.delta?.reasoningContent?.redactedContent !== undefined)!;
    expect(start).toEqual({ type: 'reasoning-start', id: expect.any(String), redactedData: recorded.payload.delta!.reasoningContent!.redactedContent });
    expect(events.filter((event) => event.type === 'reasoning-delta')).toEqual([]);
  });

  it('cache writes reach the usage event', () => {
    const usage = decodeFixture('converse-stream-cache-write').find((event) => event.type === 'usage');
    expect(usage).toMatchObject({ usage: { inputTokens: 1039, cacheWriteTokens: 1028, cacheReadTokens: 0, outputTokens: 236, totalTokens: 1275 } });
  });

  it('the SDK-decoded reasoning transcript (converse-stream-reasoning.chunks.jsonl) re-encoded as frames', () => {
    const frames = readFixtureText('bedrock-converse/converse-stream-reasoning.chunks.jsonl')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const chunk = JSON.parse(line) as Record<string, unknown>;
        const [eventType, payload] = Object.entries(chunk)[0]!;
        return encodeEventStreamEvent(eventType, payload);
      });
    const events = decodeBytes(frames);
    expect(textOf(events, 'reasoning-delta')).toBe('Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r\'s.');
    expect(events.find((event) => event.type === 'reasoning-signature')).toMatchObject({ signature: expect.stringMatching(/^Ep0CCkgICxABGAIqQOWPB6/) });
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'end_turn' },
      providerMetadata: { bedrock: { additionalModelResponseFields: { delta: { stop_sequence: null } }, metrics: { latencyMs: 2281 } } },
    });
  });

  it('an exception frame mid-stream ends the stream with the mapped error', () => {
    const bytes = readFixture('bedrock-converse/converse-stream-text.eventstream');
    const head = bytes.subarray(0, 600);
    // Cut at a frame boundary: decode frames until 600 bytes.
    const frames: Buffer[] = [];
    let offset = 0;
    while (offset + bytes.readUInt32BE(offset) <= head.length) {
      frames.push(bytes.subarray(offset, offset + bytes.readUInt32BE(offset)));
      offset += bytes.readUInt32BE(offset);
    }
    const events = decodeBytes([
      ...frames,
      encodeEventStreamException('throttlingException', { message: 'Too many tokens, please wait before trying again.' }),
    ]);
    expect(events.some((event) => event.type === 'text-delta')).toBe(true);
    const error = events.at(-1);
    expect(error).toMatchObject({ type: 'error', error: { code: 'upstream_rate_limited', status: 429, retryable: true, message: 'Too many tokens, please wait before trying again.' } });
    const streamError = decodeBytes([
      encodeEventStreamEvent('messageStart', { role: 'assistant' }),
      encodeEventStreamException('modelStreamErrorException', { message: 'Model failed', originalStatusCode: 500, originalMessage: 'boom' }),
    ]).at(-1);
    expect(streamError).toMatchObject({ type: 'error', error: { code: 'stream_error', retryable: true, upstream: { type: 'ModelStreamErrorException' } } });
    const validation = decodeBytes([encodeEventStreamException('validationException', { message: 'Input is too long for requested model.' })]).at(-1);
    expect(validation).toMatchObject({ type: 'error', error: { code: 'context_length_exceeded', status: 400 } });
    const unmodelled = decodeBytes([encodeEventStreamMessage({ ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'oops' }, '')]).at(-1);
    expect(unmodelled).toMatchObject({ type: 'error', error: { code: 'stream_error', message: 'oops' } });
  });

  it('a stream that stops before messageStop is an error; one without metadata still finishes', () => {
    const truncated = decodeBytes([
      encodeEventStreamEvent('messageStart', { role: 'assistant' }),
      encodeEventStreamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }),
    ]);
    expect(truncated.slice(-2)).toMatchObject([{ type: 'text-end' }, { type: 'error', error: { code: 'stream_error', retryable: true } }]);
    const noMetadata = decodeBytes([
      encodeEventStreamEvent('messageStart', { role: 'assistant' }),
      encodeEventStreamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } }),
      encodeEventStreamEvent('messageStop', { stopReason: 'guardrail_intervened' }),
    ]);
    expect(noMetadata.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'content-filter', raw: 'guardrail_intervened' } });
  });

  it('parallel tool calls and a guardrail trace in the metadata event', () => {
    const events = decodeBytes([
      encodeEventStreamEvent('messageStart', { role: 'assistant' }),
      encodeEventStreamEvent('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'a', name: 'f' } } }),
      encodeEventStreamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"x":' } } }),
      encodeEventStreamEvent('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'b', name: 'g' } } }),
      encodeEventStreamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '1}' } } }),
      encodeEventStreamEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{}' } } }),
      encodeEventStreamEvent('contentBlockStop', { contentBlockIndex: 0 }),
      encodeEventStreamEvent('contentBlockStop', { contentBlockIndex: 1 }),
      encodeEventStreamEvent('messageStop', { stopReason: 'tool_use' }),
      encodeEventStreamEvent('metadata', { usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 }, metrics: { latencyMs: 9 }, trace: { guardrail: { actionReason: 'No action.' } } }),
    ]);
    expect(events.filter((event) => event.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'a', name: 'f', arguments: '{"x":1}' },
      { type: 'tool-call', id: 'b', name: 'g', arguments: '{}' },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      providerMetadata: { bedrock: { metrics: { latencyMs: 9 }, trace: { guardrail: { actionReason: 'No action.' } } } },
    });
  });
});
