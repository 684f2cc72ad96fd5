import { countInputTokens } from '../../pipeline/count-input-tokens.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import type { SurfaceRequestInfo } from '../surface.js';
import { anthropicSurface } from './anthropic-surface.js';
import { decodeMessagesRequest } from './decode-messages-request.js';
import { estimateInputTokens } from '../../pipeline/estimate-input-tokens.js';
import { admitChatRequest, authenticateAndRead } from '../../pipeline/admit-request.js';

export { TOKEN_COUNT_HEADER } from '../../pipeline/count-input-tokens.js';

/**
 * POST /anthropic/v1/messages/count_tokens. A provider with a counting endpoint (Anthropic,
 * Claude on Vertex, Bedrock, Gemini) is asked, through the router like any call (keys,
 * fallbacks, attempts); any other provider gets a local o200k_base estimate, flagged in the
 * response header.
 */
export async function runCountTokens(runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo): Promise<void> {
  try {
    await authenticateAndRead(runtime, context);
    const decoded = decodeMessagesRequest(context.body, info.headers, { requireMaxTokens: false });
    await admitChatRequest(runtime, context, decoded);
    const count = await countInputTokens(runtime, context, context.chatRequest ?? decoded.request, { estimate: (request) => estimateInputTokens(request) });
    sendBody(runtime, context, 200, JSON.stringify({ input_tokens: count.tokens }));
  } catch (error) {
    sendError(runtime, context, anthropicSurface, error);
  }
}
