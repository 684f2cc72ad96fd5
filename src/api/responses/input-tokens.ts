import { parseJson } from '../../json/parse-json.js';
import { countInputTokens } from '../../pipeline/count-input-tokens.js';
import { readRequestBody } from '../../pipeline/read-request-body.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import { estimateInputTokens } from '../../pipeline/estimate-input-tokens.js';
import type { ChatSurface, SurfaceRequestInfo } from '../surface.js';

/**
 * POST /v1/responses/input_tokens (the openai SDK's `responses.inputTokens.count`): the input
 * tokens of a Responses request — a stored `previous_response_id` conversation included — at
 * whatever the model routes to: asked of providers with a counting endpoint, estimated with the
 * o200k_base tokenizer for the others (`x-switchyard-token-count` says which), answered as
 * `{"object": "response.input_tokens", "input_tokens": n}`.
 */
export async function runResponsesInputTokens(runtime: GatewayRuntime, context: RequestContext, surface: ChatSurface, info: SurfaceRequestInfo): Promise<void> {
  const record = context.record;
  try {
    await runHooks(runtime.hooks.authenticate, context);
    context.rawBody = await readRequestBody(context.request, runtime.config.server.bodyLimit);
    context.body = parseJson(context.rawBody.toString('utf8'));
    const decoded = surface.decodeChatRequest(context.body, info);
    context.directives = decoded.directives;
    context.gatewayFields = decoded.gatewayFields;
    record.modelRequested = decoded.request.model;
    if (surface.prepareChatRequest !== undefined) await surface.prepareChatRequest(decoded, context);
    context.chatRequest = decoded.request;
    await runHooks(runtime.hooks.admit, context);
    const count = await countInputTokens(runtime, context, context.chatRequest ?? decoded.request, { estimate: (request) => estimateInputTokens(request) });
    sendBody(runtime, context, 200, JSON.stringify({ object: 'response.input_tokens', input_tokens: count.tokens }));
  } catch (error) {
    sendError(runtime, context, surface, error);
  }
}
