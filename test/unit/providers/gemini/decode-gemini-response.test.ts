import { describe, expect, it } from 'vitest';
import { decodeGeminiResponse } from '../../../../src/providers/gemini/decode-gemini-response.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';
import { shorten } from './shorten.js';
import { sequentialIds } from './stream-helpers.js';

function decode(name: string) {
  return decodeGeminiResponse(readFixtureJson(name), { provider: 'gemini', generateId: sequentialIds() });
}

describe('decodeGeminiResponse on recorded answers', () => {
  it('text: usage with thoughts counted as output', () => {
    expect(shorten(decode('gemini/text.json'))).toMatchInlineSnapshot(`
      {
        "choices": [
          {
            "content": [
              {
                "text": "Hello! How can I help you today?",
                "type": "text",
              },
            ],
            "finishReason": {
              "raw": "STOP",
              "unified": "stop",
            },
            "index": 0,
          },
        ],
        "id": "bzlXaa_EE_aHqtsPi_zw8Ao",
        "model": "gemini-2.5-flash",
        "usage": {
          "inputTokens": 9,
          "outputTokens": 43,
          "raw": {
            "candidatesTokenCount": 9,
            "promptTokenCount": 9,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 9,
              },
            ],
            "thoughtsTokenCount": 34,
            "totalTokenCount": 52,
          },
          "reasoningTokens": 34,
          "totalTokens": 52,
        },
      }
    `);
  });

  it('thinking: thought summary → reasoning; the answer part signature → empty signed reasoning before it', () => {
    expect(shorten(decode('gemini/thinking.json'))).toMatchInlineSnapshot(`
      {
        "choices": [
          {
            "content": [
              {
                "text": "**A Safe Street-Crossing Guide…response.


      (2238)",
                "type": "reasoning",
              },
              {
                "signature": "EqoeCqceAdHtim+cXhv3WM3Av2yBDu…snfFk5ItIF/D(5180)",
                "text": "",
                "type": "reasoning",
              },
              {
                "text": "Crossing the street safely is …ing for you.(3017)",
                "type": "text",
              },
            ],
            "finishReason": {
              "raw": "STOP",
              "unified": "stop",
            },
            "index": 0,
          },
        ],
        "id": "ON4gaYT4Gc20qtsP2bSiiQ0",
        "model": "gemini-3-pro-preview",
        "usage": {
          "inputTokens": 29,
          "outputTokens": 1737,
          "raw": {
            "candidatesTokenCount": 736,
            "promptTokenCount": 29,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 29,
              },
            ],
            "thoughtsTokenCount": 1001,
            "totalTokenCount": 1766,
          },
          "reasoningTokens": 1001,
          "totalTokens": 1766,
        },
      }
    `);
  });

  it('Gemini 3 function call: signature in the id and providerMetadata; finishMessage kept', () => {
    expect(shorten(decode('gemini/tool-call-gemini3.json'))).toMatchInlineSnapshot(`
      {
        "choices": [
          {
            "content": [
              {
                "arguments": "{"location":"San Francisco"}",
                "id": "call_1__thought__Eqo+Cqc+Ab4+9…Xd7jXzjaGYaE(113)",
                "name": "weather",
                "providerMetadata": {
                  "gemini": {
                    "thoughtSignature": "Eqo+Cqc+Ab4+9vtgONaaz6qwy6WXdp…Xd7jXzjaGYaE(96)",
                  },
                },
                "type": "tool-call",
              },
            ],
            "finishReason": {
              "raw": "STOP",
              "unified": "tool-calls",
            },
            "index": 0,
            "providerMetadata": {
              "gemini": {
                "finishMessage": "Model generated function call(s).",
              },
            },
          },
        ],
        "id": "JniLacKqGqH0xs0P0O776As",
        "model": "gemini-3-pro-preview",
        "usage": {
          "inputTokens": 29,
          "outputTokens": 1816,
          "raw": {
            "candidatesTokenCount": 15,
            "promptTokenCount": 29,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 29,
              },
            ],
            "thoughtsTokenCount": 1801,
            "totalTokenCount": 1845,
          },
          "reasoningTokens": 1801,
          "totalTokens": 1845,
        },
      }
    `);
  });

  it('parallel function calls: three calls, only the first signed', () => {
    const response = decode('gemini/parallel-function-calls.json');
    const calls = response.choices[0]!.content.filter((part) => part.type === 'tool-call');
    expect(calls.map((call) => call.type === 'tool-call' && [call.id.split('__thought__')[0], call.name, call.arguments, call.providerMetadata !== undefined])).toEqual([
      ['call_1', 'generate_topic', '{}', true],
      ['call_2', 'generate_topic', '{}', false],
      ['call_3', 'generate_topic', '{}', false],
    ]);
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'STOP' });
  });

  it('MAX_TOKENS with truncated text → length', () => {
    const response = decode('gemini/finish-max-tokens.json');
    expect(response.choices[0]).toMatchObject({ content: [{ type: 'text', text: 'The capital of France is' }], finishReason: { unified: 'length', raw: 'MAX_TOKENS' } });
  });

  it('MAX_TOKENS with no parts at all (thinking used the budget) → empty content, length', () => {
    expect(shorten(decode('gemini/finish-max-tokens-empty-content.json'))).toMatchInlineSnapshot(`
      {
        "choices": [
          {
            "content": [],
            "finishReason": {
              "raw": "MAX_TOKENS",
              "unified": "length",
            },
            "index": 0,
          },
        ],
        "id": "fH8oaunbEbr9qtsPjYGX4A0",
        "model": "gemini-2.5-pro",
        "usage": {
          "inputTokens": 15,
          "outputTokens": 2,
          "raw": {
            "promptTokenCount": 15,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 15,
              },
            ],
            "serviceTier": "standard",
            "thoughtsTokenCount": 2,
            "totalTokenCount": 17,
          },
          "reasoningTokens": 2,
          "totalTokens": 17,
        },
      }
    `);
  });

  it('SAFETY with content {} → content-filter, safety ratings kept in providerMetadata', () => {
    expect(shorten(decode('gemini/finish-safety-blocked.json'))).toMatchInlineSnapshot(`
      {
        "choices": [
          {
            "content": [],
            "finishReason": {
              "raw": "SAFETY",
              "unified": "content-filter",
            },
            "index": 0,
            "providerMetadata": {
              "gemini": {
                "safetyRatings": [
                  {
                    "blocked": true,
                    "category": "HARM_CATEGORY_HATE_SPEECH",
                    "probability": "LOW",
                  },
                  {
                    "category": "HARM_CATEGORY_DANGEROUS_CONTENT",
                    "probability": "NEGLIGIBLE",
                  },
                  {
                    "category": "HARM_CATEGORY_HARASSMENT",
                    "probability": "NEGLIGIBLE",
                  },
                  {
                    "category": "HARM_CATEGORY_SEXUALLY_EXPLICIT",
                    "probability": "NEGLIGIBLE",
                  },
                ],
              },
            },
          },
        ],
        "id": "5lpeaLOIBf__698Pv8HGgAg",
        "model": "gemini-1.5-flash",
        "usage": {
          "inputTokens": 14,
          "raw": {
            "promptTokenCount": 14,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 14,
              },
            ],
            "totalTokenCount": 14,
          },
          "totalTokens": 14,
        },
      }
    `);
  });

  it('image input answer: avgLogprobs kept, image prompt tokens counted', () => {
    const response = decode('gemini/image-inline-data-input.json');
    expect(response.usage).toMatchObject({ inputTokens: 1817, outputTokens: 5, imageInputTokens: 1806 });
    expect(response.choices[0]!.providerMetadata).toEqual({ gemini: { avgLogprobs: -0.18855420351028443 } });
  });

  it('implicit cache: cachedContentTokenCount → cacheReadTokens (a subset of inputTokens), audio tokens', () => {
    expect(decode('gemini/video-cached-content-tokens.json').usage).toMatchObject({
      inputTokens: 17713,
      cacheReadTokens: 17379,
      outputTokens: 68 + 821,
      reasoningTokens: 821,
      totalTokens: 18602,
      audioInputTokens: 1917,
    });
  });

  it('a prompt blocked before generation (promptFeedback.blockReason) → one empty choice finished by content-filter', () => {
    // Shape from https://ai.google.dev/api/generate-content#PromptFeedback (no recording found).
    const response = decodeGeminiResponse(
      { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 }, modelVersion: 'gemini-2.5-flash', responseId: 'r1' },
      { provider: 'gemini' },
    );
    expect(response.choices).toEqual([{ index: 0, content: [], finishReason: { unified: 'content-filter', raw: 'PROHIBITED_CONTENT' } }]);
    expect(response.providerMetadata).toEqual({ gemini: { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } } });
  });

  it('a body that is not an object is a bad gateway', () => {
    expect(() => decodeGeminiResponse('nope', { provider: 'gemini' })).toThrow(/not an object/);
  });
});
