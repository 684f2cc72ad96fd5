import { parseJson, parseUpstreamJson } from '../../json/parse-json.js';
import { callContext, recordTarget, sendToProvider } from '../../pipeline/call-provider.js';
import { readRequestBody } from '../../pipeline/read-request-body.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import { readUpstreamBody } from '../../transport/send-upstream.js';
import type { SurfaceRequestInfo } from '../surface.js';
import { anthropicSurface } from './anthropic-surface.js';
import { decodeMessagesRequest } from './decode-messages-request.js';
import { estimateInputTokens } from './estimate-input-tokens.js';

/** Response header saying where a token count came from: "provider" or "estimated". */
export const TOKEN_COUNT_HEADER = 'x-switchyard-token-count';

interface Counted {
  tokens: number;
  estimated: boolean;
}

/**
 * POST /anthropic/v1/messages/count_tokens. A provider with a counting endpoint (Anthropic,
 * Claude on Vertex) is asked, through the router like any call (keys, fallbacks, attempts);
 * any other provider gets a local o200k_base estimate, flagged in the response header.
 */
export async function runCountTokens(runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo): Promise<void> {
  const record = context.record;
  try {
    await runHooks(runtime.hooks.authenticate, context);
    context.rawBody = await readRequestBody(context.request, runtime.config.server.bodyLimit);
    context.body = parseJson(context.rawBody.toString('utf8'));
    const decoded = decodeMessagesRequest(context.body, info.headers, { requireMaxTokens: false });
    const request = decoded.request;
    context.directives = decoded.directives;
    context.gatewayFields = decoded.gatewayFields;
    context.chatRequest = request;
    record.modelRequested = request.model;
    await runHooks(runtime.hooks.admit, context);
    const targets = runtime.router.plan(request.model, context, 'count-tokens');
    let counted: Counted;
    if (targets[0]?.provider.countTokens === undefined) {
      counted = { tokens: estimateInputTokens(context.chatRequest ?? request), estimated: true };
    } else {
      const { result, target, key } = await runtime.router.dispatch(context, targets, async (target, key, attempt): Promise<Counted> => {
        const adapter = target.provider.countTokens;
        if (adapter === undefined) {
          attempt.reason = 'estimated locally (no counting endpoint)';
          return { tokens: estimateInputTokens(context.chatRequest ?? request), estimated: true };
        }
        const call = callContext(target, key, runtime.catalog);
        const upstream = adapter.buildRequest({ ...(context.chatRequest ?? request), model: target.model }, call);
        const response = await sendToProvider(runtime, context, target.provider, key, upstream, attempt);
        const body = parseUpstreamJson((await readUpstreamBody(response, target.provider.id)).toString('utf8'), target.provider.id);
        return { tokens: adapter.decodeResponse(body, call), estimated: false };
      });
      recordTarget(record, target, key);
      counted = result;
    }
    context.responseHeaders[TOKEN_COUNT_HEADER] = counted.estimated ? 'estimated' : 'provider';
    sendBody(runtime, context, 200, JSON.stringify({ input_tokens: counted.tokens }));
  } catch (error) {
    sendError(runtime, context, anthropicSurface, error);
  }
}
