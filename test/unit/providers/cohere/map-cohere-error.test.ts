import { describe, expect, it } from 'vitest';
import { mapCohereError } from '../../../../src/providers/cohere/map-cohere-error.js';
import { readFixtureText } from '../../../helpers/fixtures.js';

const map = (status: number, body: unknown, headers: Record<string, string> = {}) => mapCohereError('cohere', status, headers, typeof body === 'string' ? body : JSON.stringify(body));

describe('mapCohereError', () => {
  it('recorded 404 {id, message} (no envelope): upstream_not_found, not retryable, message kept', () => {
    const error = map(404, readFixtureText('cohere/error-404-embed-model-not-found.json'));
    expect({ code: error.code, status: error.status, retryable: error.retryable, message: error.message }).toEqual({
      code: 'upstream_not_found',
      status: 404,
      retryable: false,
      message: "model 'nonexistent' not found, make sure the correct model ID was used and that you have access to the model.",
    });
    expect(error.upstream).toMatchObject({ provider: 'cohere', status: 404 });
  });

  it.each([
    [400, 'invalid request: temperature must be between 0 and 1.0 inclusive.', 'upstream_bad_request', false, 400],
    [400, 'too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4292.', 'context_length_exceeded', false, 400],
    [401, 'invalid api token', 'upstream_authentication', false, 401],
    [498, 'invalid api token', 'upstream_authentication', false, 401],
    [402, 'Please add a payment method', 'upstream_permission', false, 402],
    [403, 'forbidden', 'upstream_permission', false, 403],
    [422, 'unprocessable', 'upstream_bad_request', false, 422],
    [429, 'You are using a Trial key, which is limited to 10 API calls / minute.', 'upstream_rate_limited', true, 429],
    [499, 'request cancelled', 'upstream_error', true, 502],
    [500, 'internal server error', 'upstream_error', true, 500],
    [503, 'service unavailable', 'upstream_overloaded', true, 503],
    [504, 'gateway timeout', 'upstream_timeout', true, 504],
  ])('HTTP %i "%s" → %s (retryable %s, answered %i)', (status, message, code, retryable, answered) => {
    const error = map(status, { id: 'f3c1', message });
    expect([error.code, error.retryable, error.status, error.message]).toEqual([code, retryable, answered, message]);
  });

  it('rate limits carry the reset time from retry-after', () => {
    expect(map(429, { message: 'slow down' }, { 'retry-after': '12' }).retryAfterMs).toBe(12_000);
  });

  it('a body that is not JSON still maps by status', () => {
    const error = map(502, '<html>bad gateway</html>');
    expect([error.code, error.retryable, error.message]).toEqual(['upstream_error', true, 'Provider "cohere" answered with HTTP 502']);
  });
});
