import { parseJson } from '../../json/parse-json.js';
import { countInputTokens } from '../../pipeline/count-input-tokens.js';
import { readRequestBody } from '../../pipeline/read-request-body.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import type { SurfaceRequestInfo } from '../surface.js';
import { anthropicSurface } from './anthropic-surface.js';
import { decodeMessagesRequest } from './decode-messages-request.js';
import { estimateInputTokens } from '../../pipeline/estimate-input-tokens.js';

export { TOKEN_COUNT_HEADER } from '../../pipeline/count-input-tokens.js';

/**
 * POST /anthropic/v1/messages/count_tokens. A provider with a counting endpoint (Anthropic,
 * Claude on Vertex, Bedrock, Gemini) is asked, through the router like any call (keys,
 * fallbacks, attempts); any other provider gets a local o200k_base estimate, flagged in the
 * response header.
 */
export async function runCountTokens(runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo): Promise<void> {
  const record = context.record;
  try {
    await runHooks(runtime.hooks.authenticate, context);
    context.rawBody = await readRequestBody(context.request, runtime.config.server.bodyLimit);
    context.body = parseJson(context.rawBody.toString('utf8'));
    const decoded = decodeMessagesRequest(context.body, info.headers, { requireMaxTokens: false });
    context.directives = decoded.directives;
    context.gatewayFields = decoded.gatewayFields;
    context.chatRequest = decoded.request;
    record.modelRequested = decoded.request.model;
    await runHooks(runtime.hooks.admit, context);
    const count = await countInputTokens(runtime, context, context.chatRequest ?? decoded.request, { estimate: (request) => estimateInputTokens(request) });
    sendBody(runtime, context, 200, JSON.stringify({ input_tokens: count.tokens }));
  } catch (error) {
    sendError(runtime, context, anthropicSurface, error);
  }
}
