import { request } from 'undici';
import { GatewayError } from '../../core/index.js';
import { isRecord, parseUpstreamJson } from '../../json/parse-json.js';
import { COGNITIVE_SERVICES_SCOPE, type EntraOptions } from './azure-config.js';

/**
 * Microsoft Entra ID access tokens by the OAuth2 client-credentials grant (a service principal's
 * client id and secret), for the `Authorization: Bearer` header of Azure OpenAI. Tokens are
 * cached and refreshed ahead of expiry; concurrent callers share one refresh.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
export class EntraTokenSource {
  private readonly tokenUrl: string;
  private readonly form: string;
  private readonly marginMs: number;
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(options: EntraOptions, clientSecret: string, refreshMarginMs = 5 * 60_000) {
    this.tokenUrl = options.tokenUrl ?? `https://login.microsoftonline.com/${encodeURIComponent(options.tenantId ?? '')}/oauth2/v2.0/token`;
    this.form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: clientSecret,
      scope: options.scope ?? COGNITIVE_SERVICES_SCOPE,
    }).toString();
    this.marginMs = refreshMarginMs;
  }

  token(now = Date.now()): Promise<string> {
    if (this.cached !== undefined && this.cached.expiresAt - this.marginMs > now) return Promise.resolve(this.cached.token);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<string> {
    const failure = (message: string, status = 502): GatewayError =>
      new GatewayError({ code: 'upstream_authentication', status, retryable: status >= 500, message: `Entra ID token request failed: ${message}` });
    let response;
    try {
      response = await request(this.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: this.form });
    } catch (error) {
      throw failure((error as Error).message);
    }
    const text = await response.body.text();
    if (response.statusCode >= 300) {
      // AADSTS error bodies hold no secret; the form we sent is never echoed.
      throw failure(`HTTP ${response.statusCode} ${text.slice(0, 300)}`, response.statusCode >= 500 ? 502 : 401);
    }
    const body = parseUpstreamJson(text, 'entra-id');
    if (!isRecord(body) || typeof body.access_token !== 'string') throw failure('no access_token in the answer');
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600) || 3600;
    this.cached = { token: body.access_token, expiresAt: Date.now() + lifetime * 1000 };
    return body.access_token;
  }
}
