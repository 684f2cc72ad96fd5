import { describe, expect, it } from 'vitest';
import { decodeResponsesResponse } from '../../../../src/providers/openai-responses/decode-responses-response.js';
import { readFixtureJson, readFixtureText } from '../../../helpers/fixtures.js';
import { providerFromConfig } from './provider-from-config.js';

const decode = (name: string) => decodeResponsesResponse(readFixtureJson(name), 'openai');

describe('Responses response objects → canonical', () => {
  it('output-text.json: text, usage with cache fields, response extras kept', () => {
    const response = decode('openai-responses/output-text.json');
    expect(response.id).toBe('resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b');
    expect(response.model).toBe('gpt-4o-mini-2024-07-18');
    expect(response.created).toBe(1754925861);
    expect(response.choices[0]!.content).toEqual([{ type: 'text', text: expect.stringMatching(/^I can't provide real-time updates/) }]);
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'stop', raw: 'completed' });
    const { raw: _raw, ...usage } = response.usage!;
    expect(usage).toEqual({ inputTokens: 14, outputTokens: 50, totalTokens: 64, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(response.providerMetadata?.['openai-responses']).toMatchObject({ status: 'completed', store: true, text: { format: { type: 'text' }, verbosity: 'medium' } });
  });

  it('function-call.json: a function_call item → tool call with its item id', () => {
    const response = decode('openai-responses/function-call.json');
    expect(response.choices[0]!.content).toEqual([
      {
        type: 'tool-call',
        id: 'call_tjEzTywkXuBUO42ugPFnQYqi',
        name: 'get_current_weather',
        arguments: '{"location":"Boston, MA","unit":"celsius"}',
        providerMetadata: { 'openai-responses': { itemId: 'fc_682f80f647c48191b7fbc7f71049db4a03d0b2fd90d3afa9' } },
      },
    ]);
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'completed' });
  });

  it('custom-tool.json: a custom tool call keeps its free-form input', () => {
    const response = decode('openai-responses/custom-tool.json');
    expect(response.choices[0]!.content).toEqual([
      {
        type: 'tool-call',
        id: 'call_custom_sql_001',
        name: 'write_sql',
        arguments: 'SELECT * FROM users WHERE age > 25',
        providerMetadata: { 'openai-responses': { itemId: 'ct_abc123def456', custom: true } },
      },
    ]);
  });

  it('reasoning-encrypted-content.json: summary text and encrypted content', () => {
    const response = decode('openai-responses/reasoning-encrypted-content.json');
    const [reasoning, text] = response.choices[0]!.content;
    expect(reasoning).toMatchObject({ type: 'reasoning', text: expect.stringMatching(/^\*\*Reporting final result\*\*/), providerMetadata: { 'openai-responses': { itemId: 'rs_0f35ed53160b395301693cc95817ac8190b978637daea4987e' } } });
    expect((reasoning as { redactedData: string }).redactedData).toMatch(/^gAAAAABpPMlcH0HHEv5_/);
    expect(text).toEqual({ type: 'text', text: '12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570' });
    expect(response.usage).toMatchObject({ inputTokens: 865, outputTokens: 163, reasoningTokens: 128 });
  });

  it('reasoning-tokens.json: a reasoning item without summary, reasoning tokens in usage', () => {
    const response = decode('openai-responses/reasoning-tokens.json');
    expect(response.choices[0]!.content[0]).toEqual({ type: 'reasoning', text: '', providerMetadata: { 'openai-responses': { itemId: 'rs_0eed8a20982e7ac201692df5262c1c819dbf07ab44d1402438' } } });
    expect(response.usage).toMatchObject({ inputTokens: 54, outputTokens: 164, reasoningTokens: 128, totalTokens: 218 });
  });

  it('Azure responses-text.json / responses-tool-call.json: content_filters kept as response metadata', () => {
    const text = decode('azure-openai/responses-text.json');
    expect(text.choices[0]!.content).toEqual([{ type: 'text', text: 'Word' }]);
    const filters = text.providerMetadata?.['openai-responses']?.content_filters as Array<{ source_type: string }>;
    expect(filters.map((filter) => filter.source_type)).toEqual(['prompt', 'completion']);
    const tool = decode('azure-openai/responses-tool-call.json');
    expect(tool.choices[0]!.content[0]).toMatchObject({ type: 'tool-call', id: 'call_YunNGbIwdVJ2i0y0Mybva4Pw', name: 'weather', arguments: '{"location":"San Francisco"}' });
  });

  it('a failed response object is an error', () => {
    expect(() => decodeResponsesResponse({ id: 'resp_x', object: 'response', status: 'failed', output: [], error: { code: 'server_error', message: 'boom' } }, 'openai')).toThrow(
      expect.objectContaining({ code: 'stream_error', retryable: true, message: 'boom' }),
    );
    expect(() => decodeResponsesResponse({ error: 'nope' }, 'openai')).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});

describe('Responses HTTP errors → canonical errors', () => {
  const provider = providerFromConfig('openai', { keys: [{ value: 'sk-x' }], api: 'responses' });
  const cases: Array<[string, number, Record<string, unknown>]> = [
    ['openai-responses/error-400-invalid-temperature.json', 400, { code: 'upstream_bad_request', retryable: false, param: undefined, upstream: expect.objectContaining({ code: 'decimal_below_min_value', param: 'temperature' }) }],
    ['openai-responses/error-400-model-not-found.json', 400, { code: 'upstream_bad_request', retryable: false, upstream: expect.objectContaining({ code: 'model_not_found', param: 'model' }) }],
    ['openai-responses/error-400-unsupported-parameter-temperature.json', 400, { code: 'upstream_bad_request', upstream: expect.objectContaining({ param: 'temperature', type: 'invalid_request_error' }) }],
    ['openai-responses/error-401-invalid-api-key.json', 401, { code: 'upstream_authentication', retryable: false, upstream: expect.objectContaining({ code: 'invalid_api_key' }) }],
    // The source did not store the status; OpenAI sends insufficient_quota with 429.
    ['openai-responses/error-insufficient-quota.json', 429, { code: 'upstream_rate_limited', retryable: false, upstream: expect.objectContaining({ code: 'insufficient_quota' }) }],
  ];
  for (const [name, status, expected] of cases) {
    it(`${name} (HTTP ${status})`, () => {
      const error = provider.mapError(status, {}, readFixtureText(name));
      expect(error).toMatchObject({ status, ...expected });
    });
  }
  it('429 and 5xx are retryable and honour retry-after', () => {
    expect(provider.mapError(429, { 'retry-after': '3' }, '{"error":{"message":"slow down","type":"rate_limit_exceeded","code":"rate_limit_exceeded"}}')).toMatchObject({
      code: 'upstream_rate_limited',
      retryable: true,
      retryAfterMs: 3000,
    });
    expect(provider.mapError(500, {}, '{"error":{"message":"oops","type":"server_error"}}')).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(provider.mapError(503, {}, 'upstream connect error')).toMatchObject({ code: 'upstream_overloaded', retryable: true });
  });
});
