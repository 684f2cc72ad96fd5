import { describe, expect, it } from 'vitest';
import { readFixtureJson, readFixtureText } from '../../../helpers/fixtures.js';
import { bedrockProvider, STATIC_KEYS } from './bedrock-test-provider.js';

const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });

function recordedHeaders(name: string): { status: number; headers: Record<string, string> } {
  const recorded = readFixtureJson<{ status: number; headers: Record<string, string[]> }>(name);
  return { status: recorded.status, headers: Object.fromEntries(Object.entries(recorded.headers).map(([key, values]) => [key, values[0]!])) };
}

const summary = (error: { code: string; status: number; retryable: boolean; message: string; upstream?: { type?: string } }) => ({
  code: error.code,
  status: error.status,
  retryable: error.retryable,
  message: error.message,
  type: error.upstream?.type,
});

describe('bedrock: error mapping', () => {
  it('the recorded 403 ExpiredTokenException (kind in x-amzn-ErrorType) is an authentication failure', () => {
    const { status, headers } = recordedHeaders('bedrock-converse/error-403-expired-token.headers.json');
    const error = provider.mapError(status, headers, readFixtureText('bedrock-converse/error-403-expired-token.json'));
    expect(summary(error)).toEqual({
      code: 'upstream_authentication',
      status: 401,
      retryable: false,
      message: 'The security token included in the request is expired',
      type: 'ExpiredTokenException',
    });
    expect(error.upstream?.headers).toEqual({ 'x-amzn-requestid': '402bd639-607f-433b-aa01-2852fc75287a' });
  });

  it('the recorded 400 bodies, with the ValidationException header Bedrock sends', () => {
    const headers = { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' };
    expect(summary(provider.mapError(400, headers, readFixtureText('bedrock-converse/error-400-invalid-model-id.json')))).toEqual({
      code: 'upstream_bad_request',
      status: 400,
      retryable: false,
      message: 'The provided model identifier is invalid.',
      type: 'ValidationException',
    });
    expect(provider.mapError(400, headers, readFixtureText('bedrock-converse/error-400-unsupported-content-block.json')).message).toMatch(/video content block/);
    // Without the header (as pydantic-ai recorded it), the status decides.
    expect(provider.mapError(400, {}, readFixtureText('bedrock-converse/error-400-invalid-model-id.json')).code).toBe('upstream_bad_request');
  });

  it('maps every Bedrock Runtime error kind, with retryability and reset time', () => {
    const cases: Array<[string, number, string]> = [
      ['ThrottlingException', 429, 'Too many requests, please wait before trying again.'],
      ['ServiceQuotaExceededException', 400, 'Your request exceeds the service quota for your account.'],
      ['AccessDeniedException', 403, "You don't have access to the model with the specified model ID."],
      ['ResourceNotFoundException', 404, 'Model not found.'],
      ['ModelTimeoutException', 408, 'Model has timed out in processing the request.'],
      ['ModelNotReadyException', 429, 'Model is not ready.'],
      ['ServiceUnavailableException', 503, 'Bedrock is unable to process your request.'],
      ['InternalServerException', 500, 'Internal failure.'],
      ['ModelErrorException', 424, 'The model returned an error.'],
      ['UnrecognizedClientException', 403, 'The security token included in the request is invalid.'],
      ['InvalidSignatureException', 403, 'The request signature we calculated does not match the signature you provided.'],
    ];
    const mapped = Object.fromEntries(
      cases.map(([type, status, message]) => {
        const error = provider.mapError(status, { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'retry-after': '3' }, JSON.stringify({ message }));
        return [type, `${error.code} ${error.status} retryable=${error.retryable} retryAfterMs=${error.retryAfterMs}`];
      }),
    );
    expect(mapped).toMatchInlineSnapshot(`
      {
        "AccessDeniedException": "upstream_permission 403 retryable=false retryAfterMs=undefined",
        "InternalServerException": "upstream_error 500 retryable=true retryAfterMs=3000",
        "InvalidSignatureException": "upstream_authentication 401 retryable=false retryAfterMs=undefined",
        "ModelErrorException": "upstream_error 424 retryable=true retryAfterMs=3000",
        "ModelNotReadyException": "upstream_overloaded 429 retryable=true retryAfterMs=3000",
        "ModelTimeoutException": "upstream_timeout 408 retryable=true retryAfterMs=3000",
        "ResourceNotFoundException": "upstream_not_found 404 retryable=false retryAfterMs=undefined",
        "ServiceQuotaExceededException": "upstream_rate_limited 429 retryable=true retryAfterMs=3000",
        "ServiceUnavailableException": "upstream_overloaded 503 retryable=true retryAfterMs=3000",
        "ThrottlingException": "upstream_rate_limited 429 retryable=true retryAfterMs=3000",
        "UnrecognizedClientException": "upstream_authentication 401 retryable=false retryAfterMs=undefined",
      }
    `);
  });

  it('context-window and content-filter messages get their own codes', () => {
    const headers = { 'x-amzn-errortype': 'ValidationException' };
    expect(provider.mapError(400, headers, '{"message":"Input is too long for requested model."}').code).toBe('context_length_exceeded');
    expect(provider.mapError(400, headers, '{"message":"prompt is too long: 210000 tokens > 200000 maximum"}').code).toBe('context_length_exceeded');
    expect(provider.mapError(400, headers, '{"message":"This request has been blocked by our content filters."}').code).toBe('content_filtered');
  });

  it('reads the kind from a body __type and tolerates non-JSON bodies', () => {
    expect(provider.mapError(400, {}, '{"__type":"com.amazon.coral.validate#ValidationException","Message":"bad"}')).toMatchObject({ code: 'upstream_bad_request', message: 'bad', upstream: { type: 'ValidationException' } });
    expect(provider.mapError(502, {}, '<html>bad gateway</html>')).toMatchObject({ code: 'upstream_error', status: 502, retryable: true });
  });
});
