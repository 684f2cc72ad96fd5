import type { Message } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import { OPAQUE_ITEMS_OPTION } from '../../providers/openai-responses/convert-to-responses-request.js';
import { RESPONSES_FAMILY } from '../../providers/openai-responses/responses-family.js';
import { responsesMode } from '../../providers/openai-responses/with-responses-api.js';
import type { Provider } from '../../providers/provider.js';
import { matchesAnyPattern } from '../../providers/shared/match-model-pattern.js';
import type { ResponsesStore } from '../../store/responses-store.js';
import type { DecodedResponsesRequest } from './decode-responses-request.js';
import type { ResponsesState } from './responses-state.js';

export function previousNotFound(id: string): GatewayError {
  return new GatewayError({
    code: 'invalid_request',
    status: 400,
    param: 'previous_response_id',
    message: `Previous response with id '${id}' not found.`,
    upstream: { family: 'openai', code: 'previous_response_not_found', type: 'invalid_request_error', param: 'previous_response_id', message: `Previous response with id '${id}' not found.` },
  });
}

/** The provider answers this model through the Responses API (so it can resolve stored ids). */
export function speaksResponses(provider: Provider, model: string): boolean {
  return provider.dialect === 'openai-responses' || matchesAnyPattern(responsesMode(provider.settings).patterns, model);
}

export interface PreviousResponseDeps {
  runtime: GatewayRuntime;
  store: ResponsesStore;
  maxChain: number;
  /** Writes not yet committed, by response id (read-your-writes on this instance). */
  pending: Map<string, Promise<void>>;
}

/**
 * Resolve `previous_response_id`:
 * 1. stored by the gateway → the conversation (every earlier turn's input and output, oldest
 *    first, without earlier `instructions`) is put before this turn's input, so any provider can
 *    continue it; the body changed, so passthrough is off;
 * 2. not stored here and the request goes to a provider speaking the Responses API → the id is
 *    sent to it (OpenAI and Azure keep responses they were asked to store);
 * 3. otherwise → 400 previous_response_not_found, as the API answers.
 */
export async function resolvePreviousResponse(decoded: DecodedResponsesRequest, state: ResponsesState, context: RequestContext, deps: PreviousResponseDeps): Promise<void> {
  const info = decoded.responses;
  const id = info.previousResponseId;
  if (id === undefined) return;
  await deps.pending.get(id);
  const chain = await deps.store.chain(id, state.owner, deps.maxChain);
  const request = decoded.request;
  if (chain.records.length === 0) {
    const target = deps.runtime.router.plan(request.model, context, 'chat')[0];
    if (target === undefined || !speaksResponses(target.provider, target.model)) throw previousNotFound(id);
    const own = { ...request.providerOptions?.[RESPONSES_FAMILY], previous_response_id: id, store: info.store };
    request.providerOptions = { ...request.providerOptions, [RESPONSES_FAMILY]: own };
    state.upstreamChain = true;
    return;
  }
  if (chain.missing !== undefined) throw previousNotFound(chain.missing);
  if (chain.truncated === true) {
    throw new GatewayError({
      code: 'invalid_request',
      status: 400,
      param: 'previous_response_id',
      message: `The conversation ending at '${id}' is longer than ${deps.maxChain} responses (responses.maxChain); start a new one or send the history as input.`,
    });
  }
  const history: Message[] = chain.records.flatMap((record) => [...record.input, ...record.output]);
  const head = info.instructions === undefined ? [] : [info.instructions];
  request.messages = [...head, ...history, ...info.input];
  const own = request.providerOptions?.[RESPONSES_FAMILY];
  if (own !== undefined && Array.isArray(own[OPAQUE_ITEMS_OPTION])) {
    const offset = head.length + history.length;
    own[OPAQUE_ITEMS_OPTION] = info.opaqueItems.map((entry) => ({ position: entry.position + offset, item: entry.item }));
  }
  context.passthroughAllowed = false;
}
