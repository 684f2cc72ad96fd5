import { importPKCS8, SignJWT } from 'jose';
import { request } from 'undici';
import { GatewayError } from '../core/index.js';
import { isRecord, parseUpstreamJson } from '../json/parse-json.js';

/** The fields of a Google service-account JSON key that the token exchange needs. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
  project_id?: string;
}

export interface AccessTokenOptions {
  /** Token endpoint; defaults to the key's token_uri, then Google's. Configurable for tests. */
  tokenUrl?: string;
  scopes?: string[];
  /** Refresh this long before expiry. */
  refreshMarginMs?: number;
}

const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

export function parseServiceAccountKey(json: unknown): ServiceAccountKey {
  if (!isRecord(json) || typeof json.client_email !== 'string' || typeof json.private_key !== 'string') {
    throw new Error('a service account key needs client_email and private_key');
  }
  return json as unknown as ServiceAccountKey;
}

/**
 * OAuth2 access tokens for a Google service account (the JWT bearer grant, RFC 7523): a JWT
 * signed with the account's private key (jose) is exchanged at the token endpoint. Tokens are
 * cached and refreshed ahead of expiry; concurrent callers share one refresh.
 */
export class GoogleAccessTokenSource {
  private readonly key: ServiceAccountKey;
  private readonly tokenUrl: string;
  private readonly scope: string;
  private readonly marginMs: number;
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private signingKey: ReturnType<typeof importPKCS8> | undefined;

  constructor(key: ServiceAccountKey, options: AccessTokenOptions = {}) {
    this.key = key;
    this.tokenUrl = options.tokenUrl ?? key.token_uri ?? DEFAULT_TOKEN_URL;
    this.scope = (options.scopes ?? [CLOUD_PLATFORM]).join(' ');
    this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
  }

  /** A valid access token (cached when fresh). */
  token(now = Date.now()): Promise<string> {
    if (this.cached !== undefined && this.cached.expiresAt - this.marginMs > now) return Promise.resolve(this.cached.token);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forget the cached token (the upstream refused it): the next call fetches a new one. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async refresh(): Promise<string> {
    this.signingKey ??= importPKCS8(this.key.private_key, 'RS256');
    const issuedAt = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ scope: this.scope })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(this.key.private_key_id ? { kid: this.key.private_key_id } : {}) })
      .setIssuer(this.key.client_email)
      .setAudience(this.tokenUrl)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 3600)
      .sign(await this.signingKey);
    const failure = (message: string, status = 502): GatewayError =>
      new GatewayError({ code: 'upstream_authentication', status, retryable: status >= 500, message: `Google token exchange failed: ${message}` });
    let response;
    try {
      response = await request(this.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      });
    } catch (error) {
      throw failure((error as Error).message);
    }
    const text = await response.body.text();
    if (response.statusCode >= 300) throw failure(`HTTP ${response.statusCode} ${text.slice(0, 300)}`, response.statusCode >= 500 ? 502 : 401);
    const body = parseUpstreamJson(text, 'google-oauth');
    if (!isRecord(body) || typeof body.access_token !== 'string') throw failure('no access_token in the answer');
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    this.cached = { token: body.access_token, expiresAt: Date.now() + lifetime * 1000 };
    return body.access_token;
  }
}
