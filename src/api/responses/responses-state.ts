import type { AssistantContentPart } from '../../core/index.js';
import type { ResponsesRequestInfo } from './decode-responses-request.js';

/** Per-request state of the Responses surface, from preparation to storage. */
export interface ResponsesState {
  info: ResponsesRequestInfo;
  /** Who may read the stored response (virtual key id, "" when open). */
  owner: string;
  /** previous_response_id was left to the provider, which then also keeps the new response. */
  upstreamChain: boolean;
  /** Set by the encoder once the response is complete (canonical path only). */
  final?: { response: Record<string, unknown>; content: AssistantContentPart[] };
}

export const RESPONSES_STATE = Symbol('responses-state');
