import { patchJsonMembers } from '../../json/patch-json-members.js';
import type { UpstreamRequest } from '../../transport/upstream-request.js';
import type { ProviderSettings } from '../provider-settings.js';
import { joinBetas, parseBetaHeader, type AnthropicTransport } from './anthropic-transport.js';

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/**
 * The Anthropic API: POST {baseUrl}/v1/messages with `x-api-key`, `anthropic-version`
 * (default 2023-06-01, `anthropicVersion` in the provider config) and `anthropic-beta` (the
 * config's `betas`, the request's own betas and any the content needs).
 */
export function createAnthropicApiTransport(settings: ProviderSettings): AnthropicTransport {
  const options = settings.options as { anthropicVersion?: string; betas?: string[] };
  const configBetas = [...(options.betas ?? []), ...parseBetaHeader(settings.headers['anthropic-beta'])];
  const base: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'anthropic-version': options.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION,
    ...settings.headers,
  };
  const post = (path: string, body: string | Buffer, stream: boolean, betas: readonly string[]): UpstreamRequest => {
    const headers: Record<string, string> = stream ? { ...base, accept: 'text/event-stream' } : { ...base };
    const beta = joinBetas(configBetas, betas);
    if (beta === undefined) delete headers['anthropic-beta'];
    else headers['anthropic-beta'] = beta;
    return { method: 'POST', origin: settings.origin, path: settings.basePath + path, headers, body };
  };
  return {
    messages: (body, _model, stream, betas) => post('/v1/messages', JSON.stringify(body), stream, betas),
    passthroughMessages(rawBody, model, stream, betas, removeFields) {
      const body = patchJsonMembers(rawBody, { model: JSON.stringify(model) }, removeFields);
      return body === undefined ? undefined : post('/v1/messages', body, stream, betas);
    },
    countTokens: (body, _model, betas) => post('/v1/messages/count_tokens', JSON.stringify(body), false, betas),
    authenticate(request, key) {
      if (key?.value !== undefined) request.headers['x-api-key'] = key.value;
    },
  };
}
