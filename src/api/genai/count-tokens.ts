import { isRecord, parseJson } from '../../json/parse-json.js';
import { readObject } from '../../json/request-reader.js';
import { recordTarget, sendToProvider } from '../../pipeline/call-provider.js';
import { readRequestBody } from '../../pipeline/read-request-body.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import { isGeminiFamilyProvider } from '../../providers/gemini/create-gemini-family-provider.js';
import { readUpstreamBody } from '../../transport/send-upstream.js';
import type { ChatSurface, SurfaceRequestInfo } from '../surface.js';
import { decodeGenAiChatRequest } from './decode-genai-request.js';
import { estimateTokens } from './estimate-tokens.js';

type CountOutcome = { kind: 'upstream'; body: Buffer } | { kind: 'estimate'; totalTokens: number };

/**
 * :countTokens. A Gemini-dialect target counts with its own countTokens endpoint (the client's
 * body forwarded, the model patched); any other target gets a local estimate, marked with the
 * `x-switchyard-token-count: estimate` response header. Auth, admission and routing are the same
 * as for generateContent.
 */
export async function runCountTokens(runtime: GatewayRuntime, context: RequestContext, surface: ChatSurface, info: SurfaceRequestInfo): Promise<void> {
  const record = context.record;
  try {
    await runHooks(runtime.hooks.authenticate, context);
    context.rawBody = await readRequestBody(context.request, runtime.config.server.bodyLimit);
    const body = readObject(parseJson(context.rawBody.toString('utf8')), 'body');
    context.body = body;
    const generate = isRecord(body.generateContentRequest) ? body.generateContentRequest : body;
    const decoded = decodeGenAiChatRequest(generate, info, false);
    record.modelRequested = decoded.request.model;
    context.chatRequest = decoded.request;
    context.directives = decoded.directives;
    await runHooks(runtime.hooks.admit, context);
    const targets = runtime.router.plan(decoded.request.model, context, 'count-tokens');
    const { result, target, key } = await runtime.router.dispatch<CountOutcome>(context, targets, async (candidate, candidateKey, attempt) => {
      const provider = candidate.provider;
      if (!isGeminiFamilyProvider(provider)) return { kind: 'estimate', totalTokens: await estimateTokens(context.chatRequest ?? decoded.request) };
      const upstream = provider.gemini.countTokensRequest(candidate.model, body);
      const response = await sendToProvider(runtime, context, provider, candidateKey, upstream, attempt);
      return { kind: 'upstream', body: await readUpstreamBody(response, provider.id) };
    });
    recordTarget(record, target, key);
    if (result.kind === 'upstream') {
      sendBody(runtime, context, 200, result.body);
      return;
    }
    context.responseHeaders['x-switchyard-token-count'] = 'estimate';
    sendBody(runtime, context, 200, JSON.stringify({ totalTokens: result.totalTokens }));
  } catch (error) {
    sendError(runtime, context, surface, error);
  }
}
