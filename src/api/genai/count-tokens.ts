import { isRecord } from '../../json/parse-json.js';
import { readObject } from '../../json/request-reader.js';
import { sendToProvider } from '../../pipeline/call-provider.js';
import { countInputTokens, type ForwardingCountOptions } from '../../pipeline/count-input-tokens.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import { isGeminiFamilyProvider } from '../../providers/gemini/create-gemini-family-provider.js';
import { readUpstreamBody } from '../../transport/send-upstream.js';
import type { ChatSurface, SurfaceRequestInfo } from '../surface.js';
import { decodeGenAiChatRequest } from './decode-genai-request.js';
import { estimateInputTokens, GEMINI_MEDIA } from '../../pipeline/estimate-input-tokens.js';
import { admitChatRequest, authenticateAndRead } from '../../pipeline/admit-request.js';

/**
 * :countTokens. A Gemini-dialect target counts with its own countTokens endpoint (the client's
 * body forwarded, the model patched); another provider with a counting endpoint (Anthropic,
 * Claude on Vertex, Bedrock) is asked with the canonical request; any other target gets a local
 * estimate. The `x-switchyard-token-count` response header says `provider` or `estimated`. Auth,
 * admission and routing are the same as for generateContent.
 */
export async function runCountTokens(runtime: GatewayRuntime, context: RequestContext, surface: ChatSurface, info: SurfaceRequestInfo): Promise<void> {
  try {
    const body = readObject(await authenticateAndRead(runtime, context), 'body');
    context.body = body;
    const generate = isRecord(body.generateContentRequest) ? body.generateContentRequest : body;
    const decoded = decodeGenAiChatRequest(generate, info, false);
    await admitChatRequest(runtime, context, decoded);
    const options: ForwardingCountOptions = {
      estimate: (request) => estimateInputTokens(request, GEMINI_MEDIA),
      forward(target, key, attempt) {
        const provider = target.provider;
        if (!isGeminiFamilyProvider(provider)) return undefined;
        return (async () => {
          const response = await sendToProvider(runtime, context, provider, key, provider.gemini.countTokensRequest(target.model, body), attempt);
          return { kind: 'forwarded' as const, body: await readUpstreamBody(response, provider.id) };
        })();
      },
    };
    const count = await countInputTokens(runtime, context, context.chatRequest ?? decoded.request, options);
    sendBody(runtime, context, 200, count.kind === 'forwarded' ? count.body : JSON.stringify({ totalTokens: count.tokens }));
  } catch (error) {
    sendError(runtime, context, surface, error);
  }
}
