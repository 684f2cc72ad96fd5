import type { UpstreamRequest } from '../../transport/upstream-request.js';
import { EVENT_STREAM_CONTENT_TYPE } from '../../transport/aws-eventstream.js';
import type { AnthropicTransport } from '../anthropic/anthropic-transport.js';
import type { BedrockAuth } from './bedrock-auth.js';
import { bedrockModelPath } from './bedrock-model-id.js';

/** The body's anthropic_version for Claude on Bedrock. */
export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

export interface BedrockAnthropicTransportOptions {
  origin: string;
  basePath: string;
  headers: Record<string, string>;
  /** anthropic-beta values for every request (config `betas`). */
  betas: readonly string[];
  auth: BedrockAuth;
}

/**
 * Claude on Bedrock through InvokeModel: the Anthropic Messages body without `model` (it is in
 * the path), with `anthropic_version: "bedrock-2023-05-31"` and the betas as an
 * `anthropic_beta` array in the body (Bedrock takes no anthropic-beta header), POSTed to
 * /model/{modelId}/invoke or /invoke-with-response-stream, SigV4-signed.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html
 */
export function createBedrockAnthropicTransport(options: BedrockAnthropicTransportOptions): AnthropicTransport {
  const post = (body: Record<string, unknown>, model: string, stream: boolean, betas: readonly string[]): UpstreamRequest => {
    const { model: _model, stream: _stream, ...rest } = body;
    const allBetas = [...new Set([...options.betas, ...betas])];
    const payload = { anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...(allBetas.length > 0 ? { anthropic_beta: allBetas } : {}), ...rest };
    return {
      method: 'POST',
      origin: options.origin,
      path: bedrockModelPath(options.basePath, model, stream ? 'invoke-with-response-stream' : 'invoke'),
      headers: { 'content-type': 'application/json', accept: stream ? EVENT_STREAM_CONTENT_TYPE : 'application/json', ...options.headers },
      body: JSON.stringify(payload),
    };
  };
  return {
    messages: (body, model, stream, betas) => post(body, model, stream, betas),
    // The client's bytes are never forwarded to InvokeModel: the surface dialects differ.
    passthroughMessages: () => undefined,
    countTokens(body, model, betas) {
      const invoke = post({ ...body, max_tokens: 1 }, model, false, betas);
      return { ...invoke, path: bedrockModelPath(options.basePath, model, 'count-tokens'), body: JSON.stringify({ input: { invokeModel: { body: Buffer.from(String(invoke.body)).toString('base64') } } }) };
    },
    authenticate: (request, key) => options.auth.authenticate(request, key),
  };
}
