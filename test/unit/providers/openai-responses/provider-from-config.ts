import type { Provider, ProviderCallContext } from '../../../../src/providers/provider.js';
import { getProviderDefinition } from '../../../../src/providers/registry.js';
import type { UpstreamRequest } from '../../../../src/transport/upstream-request.js';
import { validateProvider } from '../../../../src/config/validate-providers.js';
import type { ChatRequest, Warning } from '../../../../src/core/index.js';

/** A provider built from a config entry, exactly as the gateway would build it. */
export function providerFromConfig(id: string, entry: Record<string, unknown>): Provider {
  const issues: Array<{ path: string; message: string }> = [];
  const settings = validateProvider(id, entry, issues);
  if (settings === undefined) throw new Error(JSON.stringify(issues));
  return getProviderDefinition(settings.type)!.create(settings);
}

export function callContext(provider: Provider, model: string): ProviderCallContext {
  const key = provider.settings.keys[0];
  return { provider: provider.settings, model, key, warnings: [] };
}

const SECRET_HEADERS = new Set(['authorization', 'api-key']);

/** Build, authenticate and return the upstream request with secrets masked, for snapshots. */
export async function upstreamRequest(
  provider: Provider,
  request: ChatRequest,
  model = request.model,
): Promise<{ url: string; headers: Record<string, string>; body: unknown; warnings: Warning[] }> {
  const context = callContext(provider, model);
  const built: UpstreamRequest = provider.chat!.buildRequest(request, context);
  await provider.authenticate(built, context.key);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(built.headers)) {
    headers[name] = !SECRET_HEADERS.has(name) ? value : value.startsWith('Bearer ') ? 'Bearer <redacted>' : '<redacted>';
  }
  return { url: `${built.method} ${built.origin}${built.path}`, headers, body: JSON.parse(String(built.body)), warnings: context.warnings };
}
