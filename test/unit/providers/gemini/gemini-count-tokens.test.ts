import { describe, expect, it } from 'vitest';
import type { ChatRequest, Warning } from '../../../../src/core/index.js';
import { makeProvider, show } from './provider-helpers.js';

const REQUEST: ChatRequest = {
  model: 'gemini-2.5-flash',
  stream: false,
  maxOutputTokens: 300,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: [{ type: 'text', text: 'What is the weather in San Francisco?' }] },
  ],
  tools: [{ type: 'function', name: 'weather', description: 'The weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } }],
};

function built(entry: Record<string, unknown>) {
  const provider = makeProvider('g', entry);
  const warnings: Warning[] = [];
  const context = { provider: provider.settings, model: 'gemini-2.5-flash', key: provider.settings.keys[0], warnings };
  return { provider, context, upstream: show(provider.countTokens!.buildRequest(REQUEST, context), warnings) };
}

describe('Gemini token counting for canonical requests (count_tokens of the other surfaces)', () => {
  it('Gemini API: the generate request under generateContentRequest, its model named', () => {
    const { upstream } = built({ type: 'gemini', keys: [{ value: 'k' }] });
    expect(upstream.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens');
    expect(upstream.body).toMatchInlineSnapshot(`
      {
        "generateContentRequest": {
          "contents": [
            {
              "parts": [
                {
                  "text": "What is the weather in San Francisco?",
                },
              ],
              "role": "user",
            },
          ],
          "generationConfig": {
            "maxOutputTokens": 300,
          },
          "model": "models/gemini-2.5-flash",
          "systemInstruction": {
            "parts": [
              {
                "text": "Be brief.",
              },
            ],
          },
          "tools": [
            {
              "functionDeclarations": [
                {
                  "description": "The weather",
                  "name": "weather",
                  "parametersJsonSchema": {
                    "properties": {
                      "location": {
                        "type": "string",
                      },
                    },
                    "type": "object",
                  },
                },
              ],
            },
          ],
        },
      }
    `);
  });

  it('Vertex: the same fields at the top level; the answer is totalTokens', () => {
    const { provider, context, upstream } = built({ type: 'vertex', project: 'p', region: 'us-central1', keys: [{ value: 'ya29.token' }] });
    expect(upstream.url).toBe('https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:countTokens');
    expect(Object.keys(upstream.body as object).sort()).toEqual(['contents', 'generationConfig', 'systemInstruction', 'tools']);
    expect(provider.countTokens!.decodeResponse({ totalTokens: 31, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 31 }] }, context)).toBe(31);
    expect(() => provider.countTokens!.decodeResponse({ error: 'x' }, context)).toThrow(/without totalTokens/);
  });
});
