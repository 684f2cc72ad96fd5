import { describe, expect, it } from 'vitest';
import type { Warning } from '../../../../src/core/index.js';
import { createCohereProvider } from '../../../../src/providers/cohere/define-cohere-provider.js';
import type { ProviderSettings } from '../../../../src/providers/provider-settings.js';
import { DEFAULT_TIMEOUTS } from '../../../../src/transport/upstream-request.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';

const settings: ProviderSettings = {
  id: 'co',
  type: 'cohere',
  baseUrl: 'https://api.cohere.com',
  origin: 'https://api.cohere.com',
  basePath: '',
  headers: {},
  timeouts: DEFAULT_TIMEOUTS,
  keys: [],
  models: [],
  passthrough: true,
  options: {},
};
const provider = createCohereProvider(settings);
const call = (warnings: Warning[] = [], model = 'embed-v4.0') => ({ provider: settings, model, key: undefined, warnings });

describe('Cohere embed', () => {
  it('builds /v2/embed with floats, the input type and output dimension', () => {
    const warnings: Warning[] = [];
    const upstream = provider.embeddings!.buildRequest({ model: 'x', input: ['sunny day at the beach', 'rainy day in the city'], inputType: 'search_query', dimensions: 256 }, call(warnings));
    expect(upstream.path).toBe('/v2/embed');
    expect(JSON.parse(upstream.body as string)).toEqual({
      model: 'embed-v4.0',
      texts: ['sunny day at the beach', 'rainy day in the city'],
      input_type: 'search_query',
      embedding_types: ['float'],
      output_dimension: 256,
    });
    expect(warnings).toEqual([]);
  });

  it('takes input_type from an OpenAI-style body field; warns when it has to assume one', () => {
    const fromField: Warning[] = [];
    const body = JSON.parse(provider.embeddings!.buildRequest({ model: 'x', input: ['a'], providerOptions: { openai: { input_type: 'classification' } } }, call(fromField)).body as string);
    expect(body.input_type).toBe('classification');
    expect(fromField).toEqual([]);
    const assumed: Warning[] = [];
    const defaulted = JSON.parse(provider.embeddings!.buildRequest({ model: 'x', input: ['a'] }, call(assumed)).body as string);
    expect(defaulted.input_type).toBe('search_document');
    expect(assumed).toEqual([expect.objectContaining({ param: 'input_type' })]);
  });

  it('token-array input cannot be sent', () => {
    expect(() => provider.embeddings!.buildRequest({ model: 'x', input: [[1, 2, 3]] }, call())).toThrowError(expect.objectContaining({ code: 'unsupported_parameter', status: 400 }));
  });

  it('decodes the recorded embed response: float vectors in order, billed input tokens', () => {
    const response = provider.embeddings!.decodeResponse(readFixtureJson('cohere/embed.json'), { model: 'x', input: ['a', 'b'] }, call());
    expect(response.embeddings).toEqual([
      [0.03302002, 0.020904541, -0.019744873, -0.0625, 0.04437256],
      [-0.04660034, 0.00037765503, -0.061157227, -0.08239746, -0.010360718],
    ]);
    expect(response.usage).toMatchObject({ inputTokens: 10, billedInputTokens: 10, totalTokens: 10 });
    expect(response.model).toBe('embed-v4.0');
  });
});

describe('Cohere rerank', () => {
  it('builds /v2/rerank; the gateway adds documents itself, so return_documents is not sent', () => {
    const warnings: Warning[] = [];
    const upstream = provider.rerank!.buildRequest(
      { model: 'x', query: 'capital of the US?', documents: ['Carson City is in Nevada.', 'Washington, D.C. is the capital.'], topN: 1, returnDocuments: true, maxTokensPerDocument: 512 },
      call(warnings, 'rerank-v3.5'),
    );
    expect(upstream.path).toBe('/v2/rerank');
    expect(JSON.parse(upstream.body as string)).toEqual({
      model: 'rerank-v3.5',
      query: 'capital of the US?',
      documents: ['Carson City is in Nevada.', 'Washington, D.C. is the capital.'],
      top_n: 1,
      max_tokens_per_doc: 512,
    });
    expect(warnings).toEqual([]);
  });

  it('decodes results and search units (response shape from docs.cohere.com/reference/rerank; no recording exists)', () => {
    const body = { id: 'b44f', results: [{ index: 1, relevance_score: 0.10183054 }, { index: 0, relevance_score: 0.03762639 }], meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } } };
    const response = provider.rerank!.decodeResponse(body, { model: 'x', query: 'q', documents: ['a', 'b'] }, call([], 'rerank-v3.5'));
    expect(response).toMatchObject({ id: 'b44f', model: 'rerank-v3.5', results: [{ index: 1, relevanceScore: 0.10183054 }, { index: 0, relevanceScore: 0.03762639 }] });
    expect(response.usage).toMatchObject({ searchUnits: 1 });
  });
});
