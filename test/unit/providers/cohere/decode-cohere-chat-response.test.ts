import { describe, expect, it } from 'vitest';
import { decodeCohereChatResponse } from '../../../../src/providers/cohere/decode-cohere-chat-response.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';

const decode = (name: string) => decodeCohereChatResponse(readFixtureJson(`cohere/${name}`), 'cohere', 'command-a-03-2025');

describe('decodeCohereChatResponse (recorded Cohere responses)', () => {
  it('text: content, COMPLETE, processed and billed usage with cached tokens', () => {
    expect(decode('text.json')).toMatchInlineSnapshot(`
      {
        "choices": [
          {
            "content": [
              {
                "text": "The capital of France is Paris.",
                "type": "text",
              },
            ],
            "finishReason": {
              "raw": "COMPLETE",
              "unified": "stop",
            },
            "index": 0,
          },
        ],
        "id": "e7592632-1e3d-424f-b129-bd5f9f980f7b",
        "model": "command-a-03-2025",
        "usage": {
          "billedInputTokens": 12,
          "billedOutputTokens": 7,
          "cacheReadTokens": 448,
          "inputTokens": 507,
          "outputTokens": 10,
          "raw": {
            "billed_units": {
              "input_tokens": 12,
              "output_tokens": 7,
            },
            "cached_tokens": 448,
            "tokens": {
              "input_tokens": 507,
              "output_tokens": 10,
            },
          },
          "totalTokens": 517,
        },
      }
    `);
  });

  it('tool calls: the tool plan is text before two parallel calls, TOOL_CALL', () => {
    const response = decode('tool-call.json');
    expect(response.choices[0]!.content).toEqual([
      {
        type: 'text',
        text: 'I will use the weather tool to find out the weather in San Francisco. I will also use the cityAttractions tool to find out what attractions are in San Francisco.',
      },
      { type: 'tool-call', id: 'weather_dqgshstja6p9', name: 'weather', arguments: '{"location":"San Francisco"}' },
      { type: 'tool-call', id: 'cityAttractions_dcxfx4myvx68', name: 'cityAttractions', arguments: '{"city":"San Francisco"}' },
    ]);
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'TOOL_CALL' });
  });

  it('citations attach to the text they cite, with document title and offsets', () => {
    const part = decode('citations.json').choices[0]!.content[0]!;
    expect(part.type).toBe('text');
    if (part.type !== 'text') return;
    expect(part.citations).toHaveLength(3);
    const [first] = part.citations!;
    expect({ ...first, raw: undefined }).toEqual({
      type: 'document',
      startIndex: 52,
      endIndex: 71,
      title: 'benefits.txt',
      citedText: 'AI provides: 1. Automation of tasks 2. Better decision-making 3. Cost reduction',
      documentIndex: 0,
      raw: undefined,
    });
    expect(part.text.slice(first!.startIndex, first!.endIndex)).toBe('Automation of tasks');
  });

  it('reasoning: thinking block before the text', () => {
    const response = decode('reasoning.json');
    expect(response.choices[0]!.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
    expect(response.choices[0]!.content[1]).toEqual({ type: 'text', text: '2 + 2 = 4' });
    expect(response.usage).toMatchObject({ inputTokens: 1394, outputTokens: 582, billedInputTokens: 8, billedOutputTokens: 578, cacheReadTokens: 1344 });
  });

  it('thinking (command-a-reasoning, non-stream): thinking then text, no cached_tokens reported', () => {
    const response = decode('thinking-non-stream.json');
    const [thinking, text] = response.choices[0]!.content;
    expect(thinking?.type).toBe('reasoning');
    expect(thinking?.type === 'reasoning' && thinking.text.startsWith('Okay, the user is asking how to cross a river')).toBe(true);
    expect(text?.type).toBe('text');
    expect(response.usage).toMatchObject({ inputTokens: 2190, outputTokens: 1257, billedInputTokens: 431, billedOutputTokens: 661 });
    expect(response.usage?.cacheReadTokens).toBeUndefined();
  });

  it('MAX_TOKENS is length', () => {
    expect(decode('finish-max-tokens.json').choices[0]!.finishReason).toEqual({ unified: 'length', raw: 'MAX_TOKENS' });
  });

  it('cached tokens larger than the billed input are kept as the cached part of the processed prompt', () => {
    expect(decode('cached-tokens.json').usage).toMatchObject({ inputTokens: 2935, cacheReadTokens: 2928, billedInputTokens: 2406, outputTokens: 4, billedOutputTokens: 2 });
  });

  it('null arguments of a tool without parameters become {}', () => {
    const response = decodeCohereChatResponse(
      { id: 'x', finish_reason: 'TOOL_CALL', message: { role: 'assistant', tool_calls: [{ id: 't1', type: 'function', function: { name: 'now', arguments: 'null' } }] } },
      'cohere',
      'command-a-03-2025',
    );
    expect(response.choices[0]!.content).toEqual([{ type: 'tool-call', id: 't1', name: 'now', arguments: '{}' }]);
  });

  it('a body without a message is a bad response (502, retryable)', () => {
    expect(() => decodeCohereChatResponse({ id: 'x' }, 'cohere', 'm')).toThrowError(expect.objectContaining({ code: 'upstream_bad_response', status: 502, retryable: true }));
  });
});
