import { GatewayError } from '../../core/index.js';
import { patchJsonMembers } from '../../json/patch-json-members.js';
import { GoogleAccessTokenSource, type ServiceAccountKey } from '../../transport/google-service-account.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import { joinBetas, parseBetaHeader, type AnthropicTransport } from '../anthropic/anthropic-transport.js';
import type { ProviderKey } from '../provider-settings.js';
import { loadServiceAccount } from './load-service-account.js';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export interface VertexTransportOptions {
  providerId: string;
  origin: string;
  basePath: string;
  project: string;
  region: string;
  headers: Record<string, string>;
  anthropicVersion: string;
  betas: string[];
  /** The provider-level service account, if configured. */
  serviceAccount?: ServiceAccountKey;
  tokenUrl?: string;
}

/**
 * Claude on Vertex AI: the Anthropic Messages body without `model` and with
 * `anthropic_version: "vertex-2023-10-16"`, POSTed to
 * {base}/v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict
 * (`:streamRawPredict` for streams; count tokens at models/count-tokens:rawPredict). Calls carry
 * a Google OAuth2 access token from a service account (per key or per provider), or a key's
 * value used as a ready access token.
 */
export function createVertexAnthropicTransport(options: VertexTransportOptions): AnthropicTransport {
  const modelsPath = `${options.basePath}/v1/projects/${encodeURIComponent(options.project)}/locations/${encodeURIComponent(options.region)}/publishers/anthropic/models`;
  const configBetas = [...options.betas, ...parseBetaHeader(options.headers['anthropic-beta'])];
  const sources = new Map<string, GoogleAccessTokenSource>();
  const sourceFor = (key: ProviderKey | undefined): GoogleAccessTokenSource | undefined => {
    const name = key?.options.serviceAccount !== undefined ? key.name : '';
    let source = sources.get(name);
    if (source !== undefined) return source;
    const account =
      key?.options.serviceAccount !== undefined
        ? loadServiceAccount(key.options.serviceAccount, `providers.${options.providerId}.keys[${key.name}].serviceAccount`)
        : options.serviceAccount;
    if (account === undefined) return undefined;
    source = new GoogleAccessTokenSource(account, options.tokenUrl === undefined ? {} : { tokenUrl: options.tokenUrl });
    sources.set(name, source);
    return source;
  };

  const post = (path: string, body: string | Buffer, stream: boolean, betas: readonly string[]): UpstreamRequest => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', ...options.headers };
    const beta = joinBetas(configBetas, betas);
    if (beta === undefined) delete headers['anthropic-beta'];
    else headers['anthropic-beta'] = beta;
    return { method: 'POST', origin: options.origin, path, headers, body };
  };
  // "@" (Vertex model versions, claude-sonnet-4-5@20250929) is valid in a path segment and stays as is.
  const modelPath = (model: string, stream: boolean): string =>
    `${modelsPath}/${encodeURIComponent(model).replace(/%40/g, '@')}:${stream ? 'streamRawPredict' : 'rawPredict'}`;

  return {
    messages(body, model, stream, betas) {
      const { model: _model, ...rest } = body;
      return post(modelPath(model, stream), JSON.stringify({ anthropic_version: options.anthropicVersion, ...rest }), stream, betas);
    },
    passthroughMessages(rawBody, model, stream, betas, removeFields) {
      const body = patchJsonMembers(rawBody, { anthropic_version: JSON.stringify(options.anthropicVersion) }, [...removeFields, 'model']);
      return body === undefined ? undefined : post(modelPath(model, stream), body, stream, betas);
    },
    countTokens: (body, _model, betas) =>
      post(`${modelsPath}/count-tokens:rawPredict`, JSON.stringify({ anthropic_version: options.anthropicVersion, ...body }), false, betas),
    async authenticate(request, key) {
      const source = sourceFor(key);
      if (source !== undefined) {
        request.headers.authorization = `Bearer ${await source.token()}`;
        return;
      }
      if (key?.value !== undefined) {
        request.headers.authorization = `Bearer ${key.value}`;
        return;
      }
      throw new GatewayError({
        code: 'upstream_authentication',
        status: 500,
        message: `Provider "${options.providerId}" has no Google credentials: set serviceAccount (or GOOGLE_APPLICATION_CREDENTIALS) or a key with an access token`,
      });
    },
  };
}
