import { GatewayError } from '../../core/index.js';
import { hideKeySecrets } from '../../pipeline/hide-key-secrets.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import { readUpstreamBody, readUpstreamErrorText, sendUpstream } from '../../transport/send-upstream.js';

export interface ForwardedAnswer {
  status: number;
  body: Buffer;
  contentType: string;
}

/**
 * A response id the gateway did not store may be kept by a provider of the Responses dialect
 * (a passthrough request with store: true, or a continued upstream chain). Ask the providers that
 * keep Responses state, in config order, with their first usable key; the first that knows the
 * id answers. A 404 moves on; other failures are that provider's error.
 */
export async function forwardLookup(
  runtime: GatewayRuntime,
  context: RequestContext,
  method: 'GET' | 'DELETE',
  id: string,
  suffix: '' | '/input_items',
  query: string,
): Promise<ForwardedAnswer | undefined> {
  for (const provider of runtime.providers.list()) {
    const resource = provider.responsesResource;
    if (resource === undefined) continue;
    const request = resource.buildRequest(method, id, suffix, query);
    const key = provider.settings.keys.find((candidate) => candidate.weight > 0) ?? provider.settings.keys[0];
    const signing = provider.authenticate(request, key);
    if (signing !== undefined) await signing;
    const settings = provider.settings;
    const response = await sendUpstream(runtime.pools, request, {
      provider: provider.id,
      timeouts: settings.timeouts,
      signal: context.signal,
      ...(settings.maxConnections === undefined ? {} : { maxConnections: settings.maxConnections }),
    });
    if (response.status === 404) {
      await readUpstreamErrorText(response);
      continue;
    }
    context.record.provider = provider.id;
    context.record.providerType = provider.type;
    if (response.status >= 300) throw provider.mapError(response.status, response.headers, hideKeySecrets(await readUpstreamErrorText(response), key));
    const contentType = response.headers['content-type'];
    return { status: response.status, body: await readUpstreamBody(response, provider.id), contentType: typeof contentType === 'string' ? contentType : 'application/json' };
  }
  return undefined;
}

export function responseNotFound(id: string): GatewayError {
  return new GatewayError({ code: 'not_found', status: 404, message: `Response with id '${id}' not found.` });
}
