import type { ModelCatalog } from '../catalog/model-catalog.js';
import { GatewayError, type Warning } from '../core/index.js';
import type { Provider, ProviderCallContext } from '../providers/provider.js';
import type { ProviderKey } from '../providers/provider-settings.js';
import type { Target } from '../router/target.js';
import { readUpstreamErrorText, sendUpstream, type UpstreamResponse } from '../transport/send-upstream.js';
import type { UpstreamRequest } from '../transport/upstream-request.js';
import { hideKeySecrets } from './hide-key-secrets.js';
import type { RequestContext } from './request-context.js';
import type { AttemptRecord, RequestRecord } from './request-record.js';
import type { GatewayRuntime } from './runtime.js';

export function callContext(target: Target, key: ProviderKey | undefined, catalog?: ModelCatalog): ProviderCallContext {
  const context: ProviderCallContext = { provider: target.provider.settings, model: target.model, key, warnings: [] };
  const maxOutputTokens = catalog?.lookup(target.provider.type, target.model)?.maxOutputTokens;
  if (maxOutputTokens !== undefined) context.maxOutputTokens = maxOutputTokens;
  return context;
}

/** Strict mode (config or `x-switchyard-strict: true`) turns lossy-conversion warnings into a 400. */
export function enforceStrict(runtime: GatewayRuntime, context: RequestContext, warnings: Warning[], provider: Provider): void {
  if (warnings.length === 0) return;
  const header = context.request.headers['x-switchyard-strict'];
  const strict = header === undefined ? runtime.config.strict : header === 'true' || header === '1';
  if (!strict) return;
  throw new GatewayError({
    code: 'unsupported_parameter',
    status: 400,
    ...(warnings[0]?.param === undefined ? {} : { param: warnings[0].param }),
    message: `Strict mode: provider "${provider.id}" cannot honour this request exactly: ${warnings.map((warning) => warning.message).join('; ')}`,
  });
}

/**
 * Authenticate and send one upstream request. A non-2xx answer is read, the key's secrets
 * hidden from it, and mapped to a canonical error by the provider; the attempt record gets the
 * status either way.
 */
export async function sendToProvider(
  runtime: GatewayRuntime,
  context: RequestContext,
  provider: Provider,
  key: ProviderKey | undefined,
  request: UpstreamRequest,
  attempt: AttemptRecord,
  signal: AbortSignal = context.signal,
): Promise<UpstreamResponse> {
  if (context.upstreamHeaders !== undefined) Object.assign(request.headers, context.upstreamHeaders);
  const signing = provider.authenticate(request, key);
  if (signing !== undefined) await signing;
  const settings = provider.settings;
  const response = await sendUpstream(runtime.pools, request, {
    provider: provider.id,
    timeouts: settings.timeouts,
    signal,
    ...(settings.maxConnections === undefined ? {} : { maxConnections: settings.maxConnections }),
  });
  attempt.status = response.status;
  if (response.status >= 300) {
    const text = hideKeySecrets(await readUpstreamErrorText(response), key);
    throw provider.mapError(response.status, response.headers, text);
  }
  return response;
}

/** Whether this attempt can forward the client's bytes unchanged. */
export function usePassthrough(context: RequestContext, provider: Provider): boolean {
  return (
    context.passthroughAllowed &&
    provider.passthrough !== undefined &&
    provider.settings.passthrough &&
    context.surface.dialect === provider.dialect &&
    context.rawBody !== undefined
  );
}

export function notSupported(provider: Provider, operation: string): GatewayError {
  return new GatewayError({
    code: 'not_supported',
    status: 400,
    message: `Provider "${provider.id}" (${provider.type}) does not support ${operation}.`,
  });
}

/** Note on the record which target and key answered. */
export function recordTarget(record: RequestRecord, target: Target, key: ProviderKey | undefined): void {
  record.provider = target.provider.id;
  record.providerType = target.provider.type;
  record.model = target.model;
  if (key !== undefined) record.keyName = key.name;
}
