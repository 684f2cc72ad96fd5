import type { ChatAdapter, ProviderCallContext } from '../provider.js';
import { familyOf, resolveBedrockModelId, type BedrockOptions } from './bedrock-settings.js';

/**
 * The provider's chat adapter: Converse for every model, or, with `api: invoke`, InvokeModel
 * with the Anthropic Messages body for Claude models. The choice depends only on the model, so
 * building, decoding and stream decoding of one call always agree.
 */
export function createBedrockChatAdapter(options: BedrockOptions, converse: ChatAdapter, invoke: ChatAdapter | undefined): ChatAdapter {
  if (invoke === undefined) return converse;
  const pick = (context: ProviderCallContext): ChatAdapter =>
    familyOf(options, resolveBedrockModelId(options, context.model)) === 'anthropic' ? invoke : converse;
  return {
    streamFraming: 'aws-eventstream',
    buildRequest: (request, context) => pick(context).buildRequest(request, context),
    decodeResponse: (body, context) => pick(context).decodeResponse(body, context),
    createStreamDecoder: (context) => pick(context).createStreamDecoder(context),
  };
}
