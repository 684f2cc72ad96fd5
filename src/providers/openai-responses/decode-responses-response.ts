import type { ChatChoice, ChatResponse } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { convertResponsesUsage } from './convert-responses-usage.js';
import { decodeResponsesOutput } from './decode-responses-output.js';
import { mapResponsesErrorObject } from './map-responses-error.js';
import { mapResponsesFinishReason } from './map-responses-finish-reason.js';
import { RESPONSES_FAMILY } from './responses-family.js';

/** Response fields the canonical response carries itself; every other field is kept as metadata. */
const RESPONSE_FIELDS = new Set(['id', 'object', 'created_at', 'model', 'output', 'usage', 'output_text']);

/** Response-level fields a surface of the Responses dialect can emit again (status, tools, ...). */
export function responseExtras(body: Record<string, unknown>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key in body) if (!RESPONSE_FIELDS.has(key)) (out ??= {})[key] = body[key];
  return out;
}

/**
 * A Responses API response object → canonical response (one choice). A `failed` response is an
 * error; `incomplete` ones finish with the reason the API gives.
 */
export function decodeResponsesResponse(body: unknown, provider: string): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.output)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${provider}" returned a response object without output`,
      upstream: { provider, body: JSON.stringify(body).slice(0, 2048) },
    });
  }
  if (body.status === 'failed') throw mapResponsesErrorObject(provider, body.error);
  const decoded = decodeResponsesOutput(body.output);
  const details = isRecord(body.incomplete_details) ? body.incomplete_details : undefined;
  const choice: ChatChoice = {
    index: 0,
    content: decoded.content,
    finishReason: mapResponsesFinishReason(body.status, details?.reason, decoded.calledTools),
  };
  if (decoded.logprobs !== undefined) choice.logprobs = decoded.logprobs;
  if (decoded.builtinItems.length > 0) choice.providerMetadata = { [RESPONSES_FAMILY]: { builtinItems: decoded.builtinItems } };
  const response: ChatResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    choices: [choice],
  };
  if (typeof body.created_at === 'number') response.created = body.created_at;
  const usage = convertResponsesUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  const extras = responseExtras(body);
  if (extras !== undefined) response.providerMetadata = { [RESPONSES_FAMILY]: extras };
  return response;
}
