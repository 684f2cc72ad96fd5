import { describe, expect, it } from 'vitest';
import { AwsRequestSigner, parseSigV4Authorization, toSignableRequest } from '../../../src/transport/aws-sigv4.js';
import type { UpstreamRequest } from '../../../src/transport/upstream-request.js';
import { verifySigV4 } from '../../helpers/verify-sigv4.js';

const SECRETS = { AKIDEXAMPLE: { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } };

function request(): UpstreamRequest {
  return {
    method: 'POST',
    origin: 'http://127.0.0.1:9123',
    path: '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fus.anthropic.claude/converse?x=1&a=b%20c',
    headers: { 'Content-Type': 'application/json', accept: 'application/json' },
    body: '{"messages":[]}',
  };
}

describe('aws sigv4', () => {
  it('signs with the SDK signer: a signature a verifier recomputes from the received request', async () => {
    const signer = new AwsRequestSigner({ service: 'bedrock', region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRETS.AKIDEXAMPLE.secretAccessKey } });
    const upstream = request();
    await signer.sign(upstream, new Date('2025-06-01T12:00:00Z'));
    expect(upstream.headers).toMatchObject({
      'content-type': 'application/json',
      host: '127.0.0.1:9123',
      'x-amz-date': '20250601T120000Z',
      authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20250601\/us-east-1\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/),
    });
    expect(upstream.headers).not.toHaveProperty('Content-Type');
    const received = { method: upstream.method, url: upstream.path, headers: upstream.headers, body: String(upstream.body) };
    expect(await verifySigV4(received, SECRETS, { service: 'bedrock', region: 'us-east-1' })).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1' });
    expect(await verifySigV4({ ...received, body: '{"messages":[1]}' }, SECRETS, { service: 'bedrock' })).toEqual({ ok: false, reason: 'x-amz-content-sha256 does not match the body' });
    const { 'x-amz-content-sha256': _hash, ...unhashed } = upstream.headers;
    expect(await verifySigV4({ ...received, headers: unhashed }, SECRETS, { service: 'bedrock' })).toEqual({ ok: false, reason: 'signed header x-amz-content-sha256 is missing' });
    expect(await verifySigV4({ ...received, url: received.url.replace('%2F', '/') }, SECRETS, { service: 'bedrock' })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(await verifySigV4(received, { AKIDEXAMPLE: { secretAccessKey: 'other' } }, { service: 'bedrock' })).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('adds the session token of temporary credentials and signs it', async () => {
    const signer = new AwsRequestSigner({ service: 'bedrock', region: 'eu-west-1', credentials: async () => ({ accessKeyId: 'ASIATEMP', secretAccessKey: 's3cr3t', sessionToken: 'token-1' }) });
    const upstream = request();
    await signer.sign(upstream);
    expect(upstream.headers['x-amz-security-token']).toBe('token-1');
    expect(parseSigV4Authorization(upstream.headers.authorization)?.signedHeaders).toContain('x-amz-security-token');
    const verdict = await verifySigV4({ method: 'POST', url: upstream.path, headers: upstream.headers, body: String(upstream.body) }, { ASIATEMP: { secretAccessKey: 's3cr3t', sessionToken: 'token-1' } }, { service: 'bedrock', region: 'eu-west-1' });
    expect(verdict.ok).toBe(true);
  });

  it('splits path and query for the signer', () => {
    expect(toSignableRequest(request())).toMatchObject({ hostname: '127.0.0.1', port: 9123, path: '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fus.anthropic.claude/converse', query: { x: '1', a: 'b c' } });
  });

  it('parses Authorization headers, and nothing else', () => {
    expect(parseSigV4Authorization('AWS4-HMAC-SHA256 Credential=AKIA123/20250101/us-west-2/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123')).toEqual({
      accessKeyId: 'AKIA123',
      date: '20250101',
      region: 'us-west-2',
      service: 'bedrock',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc123',
    });
    expect(parseSigV4Authorization('Bearer sk-123')).toBeUndefined();
    expect(parseSigV4Authorization(undefined)).toBeUndefined();
  });
});
