import { describe, expect, it } from 'vitest';
import type { EmbeddingRequest, Warning } from '../../../../src/core/index.js';
import { makeProvider, show } from './provider-helpers.js';

const gemini = makeProvider('gemini', { keys: [{ value: 'k' }] });
const vertex = makeProvider('vertex', { project: 'p', region: 'europe-west4', keys: [{ value: 't' }] });

function build(provider: typeof gemini, request: EmbeddingRequest) {
  const warnings: Warning[] = [];
  return show(provider.embeddings!.buildRequest(request, { provider: provider.settings, model: request.model, key: undefined, warnings }), warnings);
}

describe('Gemini embeddings', () => {
  it('one input → embedContent; several → batchEmbedContents naming the model in each request', () => {
    expect(build(gemini, { model: 'gemini-embedding-001', input: ['hello'], dimensions: 768, inputType: 'search_query' })).toMatchInlineSnapshot(`
      {
        "body": {
          "content": {
            "parts": [
              {
                "text": "hello",
              },
            ],
          },
          "outputDimensionality": 768,
          "taskType": "RETRIEVAL_QUERY",
        },
        "headers": {
          "accept": "application/json",
          "content-type": "application/json",
        },
        "url": "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent",
        "warnings": [],
      }
    `);
    const batch = build(gemini, { model: 'gemini-embedding-001', input: ['a', 'b'], user: 'u' });
    expect(batch.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(batch.body).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } },
      ],
    });
    expect(batch.warnings.map((warning) => warning.param)).toEqual(['user']);
  });

  it('decodes both answer shapes', () => {
    const decode = gemini.embeddings!.decodeResponse;
    const context = { provider: gemini.settings, model: 'gemini-embedding-001', key: undefined, warnings: [] };
    const request = { model: 'gemini-embedding-001', input: ['a'] };
    expect(decode({ embedding: { values: [0.1, 0.2] } }, request, context)).toEqual({ model: 'gemini-embedding-001', embeddings: [[0.1, 0.2]] });
    expect(decode({ embeddings: [{ values: [1] }, { values: [2] }] }, request, context).embeddings).toEqual([[1], [2]]);
    expect(() => decode({ nope: true }, request, context)).toThrow(/without embeddings/);
  });

  it('token-array inputs are refused as not supported (another target may take them)', () => {
    expect(() => build(gemini, { model: 'gemini-embedding-001', input: [[1, 2, 3]] })).toThrow(/text only/);
  });

  it('Vertex: :predict with instances and parameters; token counts summed into usage', () => {
    const built = build(vertex, { model: 'text-embedding-005', input: ['a', 'b'], dimensions: 256, inputType: 'RETRIEVAL_DOCUMENT' });
    expect(built.url).toBe('https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/publishers/google/models/text-embedding-005:predict');
    expect(built.body).toEqual({
      instances: [
        { content: 'a', task_type: 'RETRIEVAL_DOCUMENT' },
        { content: 'b', task_type: 'RETRIEVAL_DOCUMENT' },
      ],
      parameters: { outputDimensionality: 256 },
    });
    const decoded = vertex.embeddings!.decodeResponse(
      {
        predictions: [
          { embeddings: { values: [0.5], statistics: { token_count: 3, truncated: false } } },
          { embeddings: { values: [0.25], statistics: { token_count: 4, truncated: false } } },
        ],
        metadata: { billableCharacterCount: 2 },
      },
      { model: 'text-embedding-005', input: ['a', 'b'] },
      { provider: vertex.settings, model: 'text-embedding-005', key: undefined, warnings: [] },
    );
    expect(decoded).toEqual({ model: 'text-embedding-005', embeddings: [[0.5], [0.25]], usage: { inputTokens: 7, totalTokens: 7, raw: { billableCharacterCount: 2 } } });
  });
});
