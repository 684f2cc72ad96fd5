import { countInputTokens } from '../../pipeline/count-input-tokens.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import { estimateInputTokens } from '../../pipeline/estimate-input-tokens.js';
import type { ChatSurface, SurfaceRequestInfo } from '../surface.js';
import { admitChatRequest, authenticateAndRead } from '../../pipeline/admit-request.js';

/**
 * POST /v1/responses/input_tokens (the openai SDK's `responses.inputTokens.count`): the input
 * tokens of a Responses request — a stored `previous_response_id` conversation included — at
 * whatever the model routes to: asked of providers with a counting endpoint, estimated with the
 * o200k_base tokenizer for the others (`x-switchyard-token-count` says which), answered as
 * `{"object": "response.input_tokens", "input_tokens": n}`.
 */
export async function runResponsesInputTokens(runtime: GatewayRuntime, context: RequestContext, surface: ChatSurface, info: SurfaceRequestInfo): Promise<void> {
  try {
    await authenticateAndRead(runtime, context);
    const decoded = surface.decodeChatRequest(context.body, info);
    await admitChatRequest(runtime, context, decoded, surface);
    const count = await countInputTokens(runtime, context, context.chatRequest ?? decoded.request, { estimate: (request) => estimateInputTokens(request) });
    sendBody(runtime, context, 200, JSON.stringify({ object: 'response.input_tokens', input_tokens: count.tokens }));
  } catch (error) {
    sendError(runtime, context, surface, error);
  }
}
