import { invalidRequest } from '../../core/index.js';
import { readArray, readObject, readString } from '../../json/request-reader.js';
import { decodeMessagesRequest } from '../anthropic/decode-messages-request.js';
import type { DecodedChatRequest, SurfaceRequestInfo } from '../surface.js';

/**
 * An InvokeModel body for Claude — the Anthropic Messages body with `anthropic_version`
 * ("bedrock-2023-05-31"), betas as an `anthropic_beta` array, and no `model` (it is in the path)
 * — decoded by the Anthropic surface's own decoder. Other vendors' native InvokeModel bodies
 * (Titan, Llama, ...) have no canonical form here; they get a ValidationException pointing to
 * /converse, which takes every model.
 */
export function decodeInvokeRequest(value: unknown, info: SurfaceRequestInfo, stream: boolean, options: { requireMaxTokens: boolean } = { requireMaxTokens: true }): DecodedChatRequest {
  const body = readObject(value, 'body');
  const model = info.params.modelId ?? '';
  if (model === '') throw invalidRequest('The model id in the path is empty.', 'modelId');
  if (!Array.isArray(body.messages)) {
    throw invalidRequest(
      'This gateway takes InvokeModel bodies in the Anthropic Messages format (anthropic_version, messages, max_tokens); use /converse or /converse-stream for any other model.',
      'messages',
    );
  }
  const { anthropic_version: version, anthropic_beta: betaField, ...rest } = body;
  if (version !== undefined) readString(version, 'anthropic_version');
  const betas = betaField === undefined ? [] : readArray(betaField, 'anthropic_beta').map((item, index) => readString(item, `anthropic_beta[${index}]`));
  const headers = betas.length > 0 ? { ...info.headers, 'anthropic-beta': betas.join(',') } : info.headers;
  return decodeMessagesRequest({ ...rest, model, stream }, headers, options);
}
