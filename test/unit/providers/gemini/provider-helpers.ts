import type { ChatRequest, Warning } from '../../../../src/core/index.js';
import type { ConfigIssue } from '../../../../src/config/resolve-env-references.js';
import { validateProvider } from '../../../../src/config/validate-providers.js';
import type { Provider } from '../../../../src/providers/provider.js';
import type { UpstreamRequest } from '../../../../src/transport/upstream-request.js';
import { getProviderDefinition } from '../../../../src/providers/registry.js';

/** A provider built from a config entry, as the gateway would build it. */
export function makeProvider(id: string, entry: Record<string, unknown>): Provider {
  const issues: ConfigIssue[] = [];
  const settings = validateProvider(id, entry, issues);
  if (settings === undefined) throw new Error(`invalid provider config: ${JSON.stringify(issues)}`);
  return getProviderDefinition(settings.type)!.create(settings);
}

export interface BuiltRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  warnings: Warning[];
}

/** Build and authenticate the upstream chat request; secrets are removed from the headers shown. */
export async function buildChat(provider: Provider, request: ChatRequest, model = request.model): Promise<BuiltRequest> {
  const warnings: Warning[] = [];
  const key = provider.settings.keys[0];
  const upstream: UpstreamRequest = provider.chat!.buildRequest(request, { provider: provider.settings, model, key, warnings });
  await provider.authenticate(upstream, key);
  return show(upstream, warnings);
}

export function show(upstream: UpstreamRequest, warnings: Warning[]): BuiltRequest {
  const headers = { ...upstream.headers };
  if (headers['x-goog-api-key'] !== undefined) headers['x-goog-api-key'] = '<key>';
  if (headers.authorization !== undefined) headers.authorization = headers.authorization.replace(/ .*/, ' <token>');
  return {
    url: upstream.origin + upstream.path,
    headers,
    body: typeof upstream.body === 'string' ? JSON.parse(upstream.body) : upstream.body,
    warnings,
  };
}
