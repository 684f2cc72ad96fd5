import type { ChatResponse, FinishReason, GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import type { BuiltinOutputItem } from '../../providers/openai-responses/decode-responses-output.js';
import { RESPONSES_FAMILY } from '../../providers/openai-responses/responses-family.js';
import type { ResponsesRequestInfo } from './decode-responses-request.js';
import { encodeOutputItems } from './encode-responses-output.js';
import { encodeResponsesUsage } from './encode-responses-usage.js';
import { newItemId } from './response-ids.js';

type Json = Record<string, unknown>;

/** Identity of one response: fixed when its first byte is written. */
export interface ResponseIdentity {
  id: string;
  createdAt: number;
  model: string;
}

/** Upstream response ids are kept when they are Responses ids; others get a resp_ id of ours. */
export function responseIdFor(upstreamId: string | undefined): string {
  return upstreamId !== undefined && upstreamId.startsWith('resp_') ? upstreamId : newItemId('resp');
}

export function statusFor(reason: FinishReason | undefined): { status: string; incomplete: Json | null } {
  if (reason?.unified === 'length') return { status: 'incomplete', incomplete: { reason: 'max_output_tokens' } };
  if (reason?.unified === 'content-filter') return { status: 'incomplete', incomplete: { reason: 'content_filter' } };
  return { status: 'completed', incomplete: null };
}

export function errorObject(error: GatewayError): Json {
  return { code: error.upstream?.code ?? error.code, message: error.message };
}

function field(body: Json, key: string, fallback: unknown): unknown {
  const value = body[key];
  return value === undefined ? fallback : value;
}

/**
 * A Responses object with the request's parameters echoed as the API does. Response-level fields
 * a Responses provider added that the gateway does not set itself (billing, completed_at,
 * Azure's content_filters, the service tier actually used) are kept.
 */
export function responseObject(
  identity: ResponseIdentity,
  info: ResponsesRequestInfo,
  state: { status: string; output: Json[]; usage: Json | null; error?: Json | null; incomplete?: Json | null; extras?: Json },
): Json {
  const body = info.body;
  const reasoning = isRecord(body.reasoning) ? body.reasoning : {};
  const text = isRecord(body.text) ? body.text : {};
  const object: Json = {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incomplete ?? null,
    instructions: field(body, 'instructions', null),
    max_output_tokens: field(body, 'max_output_tokens', null),
    max_tool_calls: field(body, 'max_tool_calls', null),
    model: identity.model,
    output: state.output,
    parallel_tool_calls: field(body, 'parallel_tool_calls', true),
    previous_response_id: field(body, 'previous_response_id', null),
    prompt_cache_key: field(body, 'prompt_cache_key', null),
    reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? reasoning.generate_summary ?? null },
    safety_identifier: field(body, 'safety_identifier', null),
    service_tier: field(body, 'service_tier', 'default'),
    store: info.store,
    temperature: field(body, 'temperature', 1),
    text: { ...text, format: text.format ?? { type: 'text' } },
    tool_choice: field(body, 'tool_choice', 'auto'),
    tools: field(body, 'tools', []),
    top_logprobs: field(body, 'top_logprobs', 0),
    top_p: field(body, 'top_p', 1),
    truncation: field(body, 'truncation', 'disabled'),
    usage: state.usage,
    user: field(body, 'user', null),
    metadata: field(body, 'metadata', {}),
  };
  for (const [key, value] of Object.entries(state.extras ?? {})) {
    if (!(key in object) || key === 'service_tier') object[key] = value;
  }
  return object;
}

/** Response-level metadata of a Responses provider, without what the gateway rebuilds. */
export function upstreamExtras(metadata: Json | undefined): Json | undefined {
  if (metadata === undefined) return undefined;
  const { builtinItems: _builtin, ...rest } = metadata;
  return rest;
}

/** A canonical (non-streaming) response → the Responses object. */
export function encodeResponsesResponse(response: ChatResponse, info: ResponsesRequestInfo, identity: ResponseIdentity): Json {
  const choice = response.choices[0];
  const own = choice?.providerMetadata?.[RESPONSES_FAMILY];
  const output = encodeOutputItems(choice?.content ?? [], {
    includeEncrypted: info.include.includes('reasoning.encrypted_content'),
    ...(Array.isArray(own?.builtinItems) ? { builtinItems: own.builtinItems as BuiltinOutputItem[] } : {}),
    ...(choice?.logprobs?.content ? { logprobs: choice.logprobs.content } : {}),
  });
  const { status, incomplete } = statusFor(choice?.finishReason);
  const extras = upstreamExtras(response.providerMetadata?.[RESPONSES_FAMILY]);
  return responseObject(identity, info, {
    status,
    incomplete,
    output,
    usage: response.usage === undefined ? null : encodeResponsesUsage(response.usage),
    ...(extras === undefined ? {} : { extras }),
  });
}
