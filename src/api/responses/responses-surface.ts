import type { ChatRequest } from '../../core/index.js';
import { encodeOpenAiError } from '../openai/encode-error.js';
import type { ChatSurface } from '../surface.js';
import { decodeResponsesRequest, type DecodedResponsesRequest } from './decode-responses-request.js';
import { encodeResponsesResponse, responseIdFor } from './encode-responses-response.js';
import { resolvePreviousResponse, type PreviousResponseDeps } from './previous-response.js';
import { RESPONSES_STATE, type ResponsesState } from './responses-state.js';
import { ResponsesStreamEncoder } from './responses-stream-encoder.js';

/**
 * The OpenAI Responses API as clients see it (POST /v1/responses). Requests decode into the
 * canonical model and go to any provider; responses and streams are encoded back into Responses
 * objects and events. State for one request (echoed parameters, the completed response for the
 * store) is kept against its canonical request object, which the pipeline hands to every step.
 */
export function createResponsesSurface(deps: PreviousResponseDeps): ChatSurface {
  const states = new WeakMap<ChatRequest, ResponsesState>();
  const stateOf = (request: ChatRequest): ResponsesState => {
    const state = states.get(request);
    if (state !== undefined) return state;
    // Only reached if a step ran without preparation; answer without echoing parameters.
    const fallback: ResponsesState = { info: { input: [], opaqueItems: [], items: [], store: false, include: [], body: {} }, owner: '', upstreamChain: false };
    states.set(request, fallback);
    return fallback;
  };
  return {
    name: 'openai-responses',
    dialect: 'openai-responses',
    encodeError: encodeOpenAiError,
    decodeChatRequest: (body) => decodeResponsesRequest(body),
    async prepareChatRequest(decoded, context) {
      const responses = decoded as DecodedResponsesRequest;
      const state: ResponsesState = { info: responses.responses, owner: context.record.principal?.virtualKeyId ?? '', upstreamChain: false };
      states.set(decoded.request, state);
      context.state.set(RESPONSES_STATE, state);
      await resolvePreviousResponse(responses, state, context, deps);
    },
    encodeChatResponse(response, request, info) {
      const state = stateOf(request);
      const identity = { id: responseIdFor(response.id), createdAt: response.created ?? Math.floor(Date.now() / 1000), model: response.model || info.model };
      const object = encodeResponsesResponse(response, state.info, identity);
      state.final = { response: object, content: response.choices[0]?.content ?? [] };
      return JSON.stringify(object);
    },
    createStreamEncoder(request, info) {
      const state = stateOf(request);
      return new ResponsesStreamEncoder(state.info, info, (response, content) => {
        state.final = { response, content };
      });
    },
  };
}
