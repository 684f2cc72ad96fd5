import { describe, expect, it } from 'vitest';
import { mapOpenAiError } from '../../../../src/providers/openai/map-openai-error.js';
import { parseRetryAfter } from '../../../../src/providers/shared/parse-retry-after.js';
import { readFixtureJson, readFixtureText } from '../../../helpers/fixtures.js';

function headersOf(name: string): Record<string, string> {
  const recorded = readFixtureJson<{ headers: Record<string, string[]> }>(name).headers;
  return Object.fromEntries(Object.entries(recorded).map(([key, values]) => [key, values[0]!]));
}

describe('OpenAI-dialect error mapping on recorded error bodies', () => {
  it.each([
    ['openai-chat/error-400-invalid-content-part.json', 400, 'upstream_bad_request', false, 'invalid_value', 'messages[3]'],
    ['openai-chat/error-400-unsupported-parameter.json', 400, 'upstream_bad_request', false, 'unsupported_parameter', 'max_tokens'],
    ['openai-chat/error-400-unsupported-value.json', 400, 'upstream_bad_request', false, 'unsupported_value', 'messages[0].role'],
    ['openai-chat/error-401-invalid-api-key.json', 401, 'upstream_authentication', false, 'invalid_api_key', null],
    ['openai-chat/error-404-model-not-found.json', 404, 'upstream_not_found', false, 'model_not_found', null],
    ['openai-embeddings/error-404-model-not-found.json', 404, 'upstream_not_found', false, 'model_not_found', null],
    ['groq/error-400-tool-use-failed.json', 400, 'upstream_bad_request', false, 'tool_use_failed', undefined],
    ['groq/error-404-model-not-found.json', 404, 'upstream_not_found', false, 'model_not_found', undefined],
    ['openrouter/error-429-upstream-rate-limited.json', 429, 'upstream_rate_limited', true, '429', undefined],
  ])('%s → HTTP %i %s', (name, status, code, retryable, upstreamCode, param) => {
    const body = readFixtureText(name);
    const error = mapOpenAiError('p', status, {}, body);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.upstream?.code).toBe(upstreamCode);
    if (param !== undefined) expect(error.upstream?.param).toBe(param);
    expect(error.message).toBe(JSON.parse(body).error.message);
  });

  it('uses the recorded 401 headers without inventing a retry time', () => {
    const error = mapOpenAiError('openai', 401, headersOf('openai-chat/error-401-invalid-api-key.headers.json'), readFixtureText('openai-chat/error-401-invalid-api-key.json'));
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('classifies context-length and content-filter errors', () => {
    const context = mapOpenAiError('p', 400, {}, JSON.stringify({ error: { message: "This model's maximum context length is 128000 tokens", code: 'context_length_exceeded' } }));
    expect(context.code).toBe('context_length_exceeded');
    const filtered = mapOpenAiError('p', 400, {}, JSON.stringify({ error: { message: 'blocked', code: 'content_filter' } }));
    expect(filtered.code).toBe('content_filtered');
    const quota = mapOpenAiError('p', 429, {}, JSON.stringify({ error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } }));
    expect(quota.retryable).toBe(false);
    const overloaded = mapOpenAiError('p', 503, { 'retry-after': '3' }, 'upstream connect error');
    expect(overloaded).toMatchObject({ code: 'upstream_overloaded', retryable: true, retryAfterMs: 3000 });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads retry-after-ms, seconds, HTTP dates and provider reset headers', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '1500' }, now)).toBe(1500);
    expect(parseRetryAfter({ 'retry-after': '2' }, now)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m3.5s', 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-reset-tokens': '9s' }, now)).toBe(63_500);
    expect(parseRetryAfter({ 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:30Z' }, now)).toBe(30_000);
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });

  it('reads the reset headers recorded from OpenAI', () => {
    const headers = headersOf('openai-responses/stream-cached-tokens.headers.json');
    // Limits not exhausted: no delay is implied.
    expect(parseRetryAfter(headers, now)).toBeUndefined();
  });
});
