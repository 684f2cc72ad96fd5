import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types';
import { GatewayError } from '../core/errors.js';
import type { UpstreamRequest } from './upstream-request.js';

/*
 * AWS Signature Version 4 for upstream requests, with the AWS SDK's own signer
 * (@smithy/signature-v4 over @aws-crypto/sha256-js), so the canonical request (double-encoded
 * path, sorted headers, payload hash) is exactly what AWS services verify.
 */

export type { AwsCredentialIdentity };

/** Where a signer gets its credentials: fixed keys, or a (cached, refreshing) provider chain. */
export type AwsCredentialSource = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface AwsSignerOptions {
  service: string;
  region: string;
  credentials: AwsCredentialSource;
}

/** Convert an UpstreamRequest into the HttpRequest shape the signer reads. */
export function toSignableRequest(request: UpstreamRequest): HttpRequest {
  const url = new URL(request.origin);
  const queryStart = request.path.indexOf('?');
  const path = queryStart === -1 ? request.path : request.path.slice(0, queryStart);
  const query: Record<string, string | string[]> = {};
  if (queryStart !== -1) {
    for (const [name, value] of new URLSearchParams(request.path.slice(queryStart + 1))) {
      const existing = query[name];
      query[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  const headers: Record<string, string> = {};
  for (const name in request.headers) headers[name.toLowerCase()] = request.headers[name]!;
  headers.host = url.host;
  return {
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path,
    query,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  };
}

/** Why credentials could not be loaded, as the gateway's error. */
export function credentialsError(error: unknown, provider: string): GatewayError {
  return new GatewayError({
    code: 'upstream_authentication',
    status: 500,
    message: `Provider "${provider}" has no usable AWS credentials: ${error instanceof Error ? error.message : String(error)}`,
    upstream: { provider },
    cause: error,
  });
}

/**
 * Signs requests for one service, region and credential source. Keep one per (key, region):
 * the signer caches derived signing keys per day.
 */
export class AwsRequestSigner {
  private readonly signer: SignatureV4;
  readonly region: string;
  readonly service: string;

  constructor(options: AwsSignerOptions) {
    this.region = options.region;
    this.service = options.service;
    this.signer = new SignatureV4({
      service: options.service,
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
    });
  }

  /**
   * Add `host`, `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (temporary
   * credentials) and `authorization` to the request, in place.
   */
  async sign(request: UpstreamRequest, signingDate?: Date): Promise<void> {
    const signed = await this.signer.sign(toSignableRequest(request), signingDate === undefined ? {} : { signingDate });
    for (const name in request.headers) if (name.toLowerCase() !== name) delete request.headers[name];
    Object.assign(request.headers, signed.headers);
  }
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=.../..., SignedHeaders=..., Signature=...` header. */
export interface ParsedSigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]+)\s*$/i;

/** Parse a SigV4 Authorization header; undefined when it is not one. */
export function parseSigV4Authorization(header: string | undefined): ParsedSigV4Authorization | undefined {
  if (header === undefined) return undefined;
  const match = AUTHORIZATION_PATTERN.exec(header.trim());
  if (match === null) return undefined;
  return {
    accessKeyId: match[1]!,
    date: match[2]!,
    region: match[3]!,
    service: match[4]!,
    signedHeaders: match[5]!.split(';'),
    signature: match[6]!.toLowerCase(),
  };
}
