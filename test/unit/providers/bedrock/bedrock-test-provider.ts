import type { ChatRequest } from '../../../../src/core/index.js';
import { validateProvider } from '../../../../src/config/validate-providers.js';
import { createBedrockProvider } from '../../../../src/providers/bedrock/bedrock-provider.js';
import type { Provider, ProviderCallContext } from '../../../../src/providers/provider.js';
import type { UpstreamRequest } from '../../../../src/transport/upstream-request.js';

/** A Bedrock provider from a config entry, validated as the config file would be. */
export function bedrockProvider(entry: Record<string, unknown>, env: Record<string, string> = {}, id = 'bedrock'): Provider {
  const issues: Array<{ path: string; message: string }> = [];
  // Validation creates the provider once, reading the process environment as start-up does.
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  let settings;
  try {
    settings = validateProvider(id, { type: 'bedrock', ...entry }, issues);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  if (settings === undefined) throw new Error(issues.map((issue) => issue.message).join('; '));
  return createBedrockProvider(settings, env);
}

export const STATIC_KEYS = { name: 'main', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-west-2' };

export function callContext(provider: Provider, model: string, keyName?: string): ProviderCallContext {
  const key = keyName === undefined ? provider.settings.keys[0] : provider.settings.keys.find((candidate) => candidate.name === keyName);
  return { provider: provider.settings, model, key, warnings: [] };
}

/** Build and sign the upstream request; the signature (not the scope) is masked for snapshots. */
export async function upstreamRequest(
  provider: Provider,
  request: ChatRequest,
  context: ProviderCallContext,
): Promise<Omit<UpstreamRequest, 'body'> & { json: unknown }> {
  const built = provider.chat!.buildRequest(request, context);
  await provider.authenticate(built, context.key);
  const headers = { ...built.headers };
  if (headers.authorization !== undefined) headers.authorization = headers.authorization.replace(/Signature=[0-9a-f]{64}/, 'Signature=<signature>');
  return { method: built.method, origin: built.origin, path: built.path, headers, json: JSON.parse(String(built.body)) };
}

export function chat(partial: Partial<ChatRequest> & Pick<ChatRequest, 'messages'>): ChatRequest {
  return { model: 'ignored', stream: false, ...partial };
}
