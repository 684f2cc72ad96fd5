import type { Usage } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { patchJsonMembers } from '../../json/patch-json-members.js';
import type { PassthroughSupport, ProviderCallContext, PassthroughBuildOptions } from '../provider.js';
import { convertResponsesUsage } from './convert-responses-usage.js';
import type { ResponsesTransport } from './responses-chat-adapter.js';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;

/** Usage from a complete Responses object. */
export function readResponsesBodyUsage(body: unknown): Usage | undefined {
  return isRecord(body) ? convertResponsesUsage(body.usage) : undefined;
}

/**
 * Usage from one Responses stream event: only response.completed / response.incomplete carry a
 * usage object (response.created has `"usage":null`), so the side parser costs a regex test.
 */
export function readResponsesStreamUsage(data: string): Usage | undefined {
  if (!USAGE_OBJECT.test(data)) return undefined;
  const event = tryParseJson(data);
  return isRecord(event) && isRecord(event.response) ? convertResponsesUsage(event.response.usage) : undefined;
}

/**
 * Forward a Responses body as the client sent it, with only the model replaced (the usage needs
 * no injection: the final event always has it).
 */
export function createResponsesPassthrough(transport: ResponsesTransport): PassthroughSupport {
  return {
    buildRequest(operation, rawBody, parsedBody, context: ProviderCallContext, options: PassthroughBuildOptions) {
      if (operation !== 'chat') return undefined;
      const model = transport.upstreamModel?.(context.model) ?? context.model;
      const set: Record<string, string> = {};
      if (parsedBody.model !== model) set.model = JSON.stringify(model);
      const body = patchJsonMembers(rawBody, set, options.removeFields);
      if (body === undefined) return undefined;
      return { request: transport.post(body, parsedBody.stream === true, model), injectedUsage: false };
    },
    readUsage: (_operation, body) => readResponsesBodyUsage(body),
    readStreamUsage: readResponsesStreamUsage,
    isInjectedUsageEvent: () => false,
  };
}
