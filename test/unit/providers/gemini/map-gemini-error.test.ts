import { describe, expect, it } from 'vitest';
import { mapGeminiError } from '../../../../src/providers/gemini/map-gemini-error.js';
import { readFixtureText } from '../../../helpers/fixtures.js';

function summary(status: number, body: string, headers: Record<string, string> = {}) {
  const error = mapGeminiError('gemini', status, headers, body);
  return { code: error.code, status: error.status, retryable: error.retryable, retryAfterMs: error.retryAfterMs, type: error.upstream?.type, reason: error.upstream?.code, message: error.message.slice(0, 60) };
}

const status = (code: number, rpc: string, message: string, details?: unknown[]) => JSON.stringify({ error: { code, message, status: rpc, ...(details ? { details } : {}) } });

describe('Gemini errors → canonical errors', () => {
  it('recorded 404 NOT_FOUND (unknown model)', () => {
    expect(summary(404, readFixtureText('gemini/error-404-model-not-found.json'))).toMatchObject({ code: 'upstream_not_found', status: 404, retryable: false, type: 'NOT_FOUND' });
  });

  it('recorded 429 RESOURCE_EXHAUSTED: RetryInfo.retryDelay "34.4s" → retryAfterMs 34400', () => {
    expect(summary(429, readFixtureText('gemini/error-429-resource-exhausted-retry-info.json'))).toEqual({
      code: 'upstream_rate_limited',
      status: 429,
      retryable: true,
      retryAfterMs: 34400,
      type: 'RESOURCE_EXHAUSTED',
      reason: undefined,
      message: 'You exceeded your current quota, please check your plan.',
    });
  });

  it('recorded Vertex 400 INVALID_ARGUMENT (URL fetch refused)', () => {
    expect(summary(400, readFixtureText('gemini/vertex-error-400-invalid-argument.json'))).toMatchObject({ code: 'upstream_bad_request', status: 400, retryable: false });
  });

  it('invalid API key: 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID → authentication (401)', () => {
    const body = status(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
    ]);
    expect(summary(400, body)).toMatchObject({ code: 'upstream_authentication', status: 401, retryable: false, reason: 'API_KEY_INVALID' });
  });

  it('every rpc status class', () => {
    const cases: Array<[number, string, string]> = [
      [401, 'UNAUTHENTICATED', 'upstream_authentication'],
      [403, 'PERMISSION_DENIED', 'upstream_permission'],
      [503, 'UNAVAILABLE', 'upstream_overloaded'],
      [504, 'DEADLINE_EXCEEDED', 'upstream_timeout'],
      [500, 'INTERNAL', 'upstream_error'],
      [400, 'FAILED_PRECONDITION', 'upstream_bad_request'],
    ];
    for (const [code, rpc, expected] of cases) {
      const mapped = summary(code, status(code, rpc, 'x'));
      expect([rpc, mapped.code, mapped.retryable]).toEqual([rpc, expected, code >= 500]);
    }
  });

  it('context too long → context_length_exceeded', () => {
    const body = status(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).');
    expect(summary(400, body).code).toBe('context_length_exceeded');
  });

  it('a 503 without a Google body uses the Retry-After header; a non-JSON body keeps the HTTP status', () => {
    expect(summary(503, 'upstream connect error', { 'retry-after': '3' })).toMatchObject({ code: 'upstream_overloaded', retryAfterMs: 3000, retryable: true });
    expect(summary(502, '<html>bad gateway</html>')).toMatchObject({ code: 'upstream_error', status: 502, retryable: true });
  });
});
