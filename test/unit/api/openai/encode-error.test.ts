import { describe, expect, it } from 'vitest';
import { encodeOpenAiError } from '../../../../src/api/openai/encode-error.js';
import { GatewayError } from '../../../../src/core/index.js';

const body = (error: GatewayError) => JSON.parse(encodeOpenAiError(error).body).error;

describe('encodeOpenAiError', () => {
  it('keeps an OpenAI-family provider’s own type, code and param', () => {
    const error = new GatewayError({
      code: 'upstream_bad_request',
      status: 400,
      message: "Unsupported value: 'messages[0].role' does not support 'system' with this model.",
      upstream: { family: 'openai', type: 'invalid_request_error', code: 'unsupported_value', param: 'messages[0].role' },
    });
    expect(body(error)).toEqual({ message: error.message, type: 'invalid_request_error', code: 'unsupported_value', param: 'messages[0].role' });
  });

  it('answers in its own words for another family’s error', () => {
    const overloaded = new GatewayError({ code: 'upstream_overloaded', status: 529, message: 'Overloaded', retryable: true, upstream: { family: 'anthropic', type: 'overloaded_error' } });
    expect(body(overloaded)).toEqual({ message: 'Overloaded', type: 'server_error', code: 'upstream_overloaded', param: null });
    const unknownFamily = new GatewayError({ code: 'upstream_rate_limited', status: 429, message: 'Quota exceeded', retryable: true, retryAfterMs: 7000, upstream: { type: 'RESOURCE_EXHAUSTED', code: '429' } });
    expect(body(unknownFamily)).toEqual({ message: 'Quota exceeded', type: 'rate_limit_error', code: 'upstream_rate_limited', param: null });
    expect(encodeOpenAiError(unknownFamily).headers['retry-after']).toBe('7');
  });
});
