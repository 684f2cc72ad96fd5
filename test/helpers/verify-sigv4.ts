import { Sha256 } from '@aws-crypto/sha256-js';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingHttpHeaders } from 'node:http';
import { parseSigV4Authorization } from '../../src/transport/aws-sigv4.js';

export interface SigV4Credentials {
  secretAccessKey: string;
  sessionToken?: string;
}

export type SigV4Verdict = { ok: true; accessKeyId: string; region: string } | { ok: false; reason: string };

/**
 * What AWS does with a signed request: recompute the signature from the request as received
 * (method, raw path, query, the signed headers, body) with the same signer and the secret for
 * the access key id, and compare.
 */
export async function verifySigV4(
  request: { method: string; url: string; headers: IncomingHttpHeaders; body: string | Buffer },
  secrets: Readonly<Record<string, SigV4Credentials>>,
  expected: { service: string; region?: string },
): Promise<SigV4Verdict> {
  const header = request.headers.authorization;
  const parsed = parseSigV4Authorization(typeof header === 'string' ? header : undefined);
  if (parsed === undefined) return { ok: false, reason: 'no SigV4 Authorization header' };
  if (parsed.service !== expected.service) return { ok: false, reason: `signed for service ${parsed.service}` };
  if (expected.region !== undefined && parsed.region !== expected.region) return { ok: false, reason: `signed for region ${parsed.region}` };
  const secret = secrets[parsed.accessKeyId];
  if (secret === undefined) return { ok: false, reason: `unknown access key ${parsed.accessKeyId}` };
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string' || !amzDate.startsWith(parsed.date)) return { ok: false, reason: 'x-amz-date missing or outside the credential scope' };
  if (secret.sessionToken !== undefined && request.headers['x-amz-security-token'] !== secret.sessionToken) return { ok: false, reason: 'wrong session token' };
  const contentHash = request.headers['x-amz-content-sha256'];
  if (contentHash !== undefined && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    return { ok: false, reason: 'x-amz-content-sha256 does not match the body' };
  }
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return { ok: false, reason: `signed header ${name} is missing` };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const queryStart = request.url.indexOf('?');
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const query: Record<string, string> = {};
  if (queryStart !== -1) for (const [name, value] of new URLSearchParams(request.url.slice(queryStart + 1))) query[name] = value;
  const signer = new SignatureV4({
    service: parsed.service,
    region: parsed.region,
    credentials: { accessKeyId: parsed.accessKeyId, secretAccessKey: secret.secretAccessKey, ...(secret.sessionToken ? { sessionToken: secret.sessionToken } : {}) },
    sha256: Sha256,
  });
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const host = headers.host ?? '';
  const signed = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: host.split(':')[0]!, path, query, headers, body: request.body },
    { signingDate, signableHeaders: new Set(parsed.signedHeaders) },
  );
  const recomputed = parseSigV4Authorization(signed.headers.authorization);
  if (recomputed?.signature !== parsed.signature) return { ok: false, reason: 'signature mismatch' };
  if (recomputed.signedHeaders.join(';') !== parsed.signedHeaders.join(';')) return { ok: false, reason: 'signed header list mismatch' };
  return { ok: true, accessKeyId: parsed.accessKeyId, region: parsed.region };
}
