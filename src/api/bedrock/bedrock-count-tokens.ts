import { invalidRequest } from '../../core/index.js';
import { parseJson } from '../../json/parse-json.js';
import { readObject, readString } from '../../json/request-reader.js';
import { countInputTokens } from '../../pipeline/count-input-tokens.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import { estimateInputTokens } from '../../pipeline/estimate-input-tokens.js';
import type { DecodedChatRequest, SurfaceRequestInfo } from '../surface.js';
import { recordBedrockAccessKeyId } from './bedrock-access-key.js';
import { converseSurface } from './converse-surface.js';
import { decodeConverseRequest } from './decode-converse-request.js';
import { decodeInvokeRequest } from './decode-invoke-request.js';
import { admitChatRequest, authenticateAndRead } from '../../pipeline/admit-request.js';

/**
 * `input` of a CountTokens request: `{"converse": {messages, system, toolConfig, ...}}` (a
 * Converse request without the model) or `{"invokeModel": {"body": <base64 of an InvokeModel body>}}`.
 */
export function decodeCountTokensInput(value: unknown, info: SurfaceRequestInfo): DecodedChatRequest {
  const input = readObject(readObject(value, 'body').input, 'input');
  if (input.converse !== undefined) return decodeConverseRequest(input.converse, info, false);
  if (input.invokeModel !== undefined) {
    const encoded = readString(readObject(input.invokeModel, 'input.invokeModel').body, 'input.invokeModel.body');
    return decodeInvokeRequest(parseJson(Buffer.from(encoded, 'base64').toString('utf8'), 'input.invokeModel.body'), info, false, { requireMaxTokens: false });
  }
  throw invalidRequest('input must hold converse or invokeModel.', 'input');
}

/**
 * POST /bedrock/model/{modelId}/count-tokens (Bedrock CountTokens; the AWS SDK's
 * CountTokensCommand): the input tokens of a Converse or InvokeModel request at whatever the
 * model id routes to — asked of providers with a counting endpoint, estimated for the others
 * (`x-switchyard-token-count` says which) — as `{"inputTokens": n}`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CountTokens.html
 */
export async function runBedrockCountTokens(runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo): Promise<void> {
  try {
    recordBedrockAccessKeyId(context);
    await authenticateAndRead(runtime, context);
    const decoded = decodeCountTokensInput(context.body, info);
    await admitChatRequest(runtime, context, decoded);
    const count = await countInputTokens(runtime, context, context.chatRequest ?? decoded.request, { estimate: (request) => estimateInputTokens(request) });
    sendBody(runtime, context, 200, JSON.stringify({ inputTokens: count.tokens }));
  } catch (error) {
    sendError(runtime, context, converseSurface, error);
  }
}
