import { describe, expect, it } from 'vitest';
import type { EmbeddingRequest } from '../../../../src/core/index.js';
import { bedrockProvider, callContext, STATIC_KEYS } from './bedrock-test-provider.js';

const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });
const embeddings = provider.embeddings!;

function build(request: EmbeddingRequest, model: string) {
  const context = callContext(provider, model);
  const built = embeddings.buildRequest(request, context);
  return { path: built.path, body: JSON.parse(String(built.body)), warnings: context.warnings };
}

describe('bedrock embeddings through InvokeModel', () => {
  it('Titan v2: one text, dimensions; usage from inputTextTokenCount', () => {
    expect(build({ model: 'm', input: ['hello world'], dimensions: 512 }, 'amazon.titan-embed-text-v2:0')).toEqual({
      path: '/model/amazon.titan-embed-text-v2%3A0/invoke',
      body: { inputText: 'hello world', dimensions: 512 },
      warnings: [],
    });
    const response = embeddings.decodeResponse({ embedding: [0.1, -0.2, 0.3], inputTextTokenCount: 3 }, { model: 'm', input: ['hello world'] }, callContext(provider, 'amazon.titan-embed-text-v2:0'));
    expect(response).toEqual({ model: 'amazon.titan-embed-text-v2:0', embeddings: [[0.1, -0.2, 0.3]], usage: { inputTokens: 3, totalTokens: 3, raw: { inputTextTokenCount: 3 } } });
  });

  it('Titan refuses batches and token arrays clearly; v1 reports dimensions', () => {
    expect(() => build({ model: 'm', input: ['a', 'b'] }, 'amazon.titan-embed-text-v2:0')).toThrowError(expect.objectContaining({ code: 'not_supported', param: 'input' }));
    expect(() => build({ model: 'm', input: [[1, 2, 3]] }, 'amazon.titan-embed-text-v2:0')).toThrowError(/not token arrays/);
    expect(build({ model: 'm', input: ['a'], dimensions: 256 }, 'amazon.titan-embed-text-v1').warnings).toMatchObject([{ param: 'dimensions' }]);
  });

  it('Cohere: a batch with its input type; both response shapes', () => {
    expect(build({ model: 'm', input: ['a', 'b'], inputType: 'search_query' }, 'cohere.embed-english-v3')).toEqual({
      path: '/model/cohere.embed-english-v3/invoke',
      body: { texts: ['a', 'b'], input_type: 'search_query' },
      warnings: [],
    });
    const defaulted = build({ model: 'm', input: ['a'], dimensions: 1024 }, 'cohere.embed-v4:0');
    expect(defaulted.body).toEqual({ texts: ['a'], input_type: 'search_document', output_dimension: 1024 });
    expect(defaulted.warnings).toMatchObject([{ code: 'other', param: 'input_type' }]);
    const context = callContext(provider, 'cohere.embed-english-v3');
    expect(embeddings.decodeResponse({ embeddings: [[1, 2], [3, 4]], id: 'e1', response_type: 'embeddings_floats', texts: ['a', 'b'] }, { model: 'm', input: ['a', 'b'] }, context)).toEqual({
      model: 'cohere.embed-english-v3',
      embeddings: [
        [1, 2],
        [3, 4],
      ],
      providerMetadata: { bedrock: { id: 'e1' } },
    });
    expect(embeddings.decodeResponse({ embeddings: { float: [[5, 6]] }, response_type: 'embeddings_by_type' }, { model: 'm', input: ['a'] }, context).embeddings).toEqual([[5, 6]]);
    expect(() => embeddings.decodeResponse({ nothing: true }, { model: 'm', input: ['a'] }, context)).toThrowError(/without vectors/);
  });

  it('other models are not embedding models', () => {
    expect(() => build({ model: 'm', input: ['a'] }, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toThrowError(expect.objectContaining({ code: 'not_supported', param: 'model' }));
  });
});
