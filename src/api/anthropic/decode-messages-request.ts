import type { IncomingHttpHeaders } from 'node:http';
import type { ChatRequest, ReasoningOptions } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import {
  optBoolean,
  optInteger,
  optNumber,
  optString,
  readArray,
  readEnum,
  readInteger,
  readObject,
  readString,
  requireField,
  unknownFields,
} from '../../json/request-reader.js';
import { parseBetaHeader } from '../../providers/anthropic/anthropic-transport.js';
import type { DecodedChatRequest } from '../surface.js';
import { decodeAnthropicMessages, decodeSystem } from './decode-anthropic-messages.js';
import { decodeAnthropicToolChoice, decodeAnthropicTools } from './decode-anthropic-tools.js';

/** Fields with a canonical form; everything else is kept in providerOptions.anthropic. */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'metadata',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'service_tier',
  'fallbacks',
]);

const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/**
 * `thinking` → canonical reasoning. enabled/disabled with a budget map exactly; anything richer
 * (adaptive thinking, `display`) is also kept as sent in providerOptions.anthropic so an
 * Anthropic provider receives it unchanged.
 */
function decodeThinking(value: unknown, extra: Record<string, unknown>): ReasoningOptions {
  const thinking = readObject(value, 'thinking');
  const type = readString(requireField(thinking, 'type', 'thinking.type'), 'thinking.type');
  if (type === 'disabled') return { enabled: false };
  const options: ReasoningOptions = { enabled: true };
  if (type === 'enabled') options.budgetTokens = readInteger(requireField(thinking, 'budget_tokens', 'thinking.budget_tokens'), 'thinking.budget_tokens', 1);
  if (type !== 'enabled' || Object.keys(thinking).some((key) => key !== 'type' && key !== 'budget_tokens')) extra.thinking = thinking;
  return options;
}

/**
 * `output_config`: `format` (json_schema) becomes the canonical response format; `effort`
 * stays Anthropic's own (it has a "max" level and coexists with thinking) and also sets the
 * canonical reasoning effort for other providers.
 */
function decodeOutputConfig(value: unknown, request: ChatRequest, extra: Record<string, unknown>): void {
  const config = readObject(value, 'output_config');
  if (config.format !== undefined && config.format !== null) {
    const format = readObject(config.format, 'output_config.format');
    readEnum(format.type, 'output_config.format.type', ['json_schema'] as const);
    request.responseFormat = { type: 'json-schema', name: 'response', schema: readObject(requireField(format, 'schema', 'output_config.format.schema'), 'output_config.format.schema') };
  }
  const rest = unknownFields(config, new Set(['format']));
  if (rest === undefined) return;
  extra.output_config = rest;
  if (rest.effort !== undefined && rest.effort !== null) {
    const effort = readEnum(rest.effort, 'output_config.effort', EFFORTS);
    request.reasoning = { ...request.reasoning, effort: effort === 'max' ? 'xhigh' : effort };
  }
}

export interface DecodeMessagesOptions {
  /** count_tokens bodies have no max_tokens. */
  requireMaxTokens: boolean;
}

/** An Anthropic Messages body (and its anthropic-beta header) → canonical request. */
export function decodeMessagesRequest(value: unknown, headers: IncomingHttpHeaders, options: DecodeMessagesOptions = { requireMaxTokens: true }): DecodedChatRequest {
  const body = readObject(value, 'body');
  const model = readString(requireField(body, 'model', 'model'), 'model');
  if (model === '') throw invalidRequest('model: String should have at least 1 character', 'model');
  const messages = decodeAnthropicMessages(requireField(body, 'messages', 'messages'));
  const extra = unknownFields(body, KNOWN_FIELDS) ?? {};
  const system = body.system === undefined || body.system === null ? [] : decodeSystem(body.system);
  const request: ChatRequest = {
    model,
    messages: system.length > 0 ? [{ role: 'system', content: system }, ...messages] : messages,
    stream: optBoolean(body.stream, 'stream') ?? false,
  };
  const maxTokens = options.requireMaxTokens ? readInteger(requireField(body, 'max_tokens', 'max_tokens'), 'max_tokens', 1) : optInteger(body.max_tokens, 'max_tokens', 1);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = optNumber(body.temperature, 'temperature');
  if (temperature !== undefined) {
    if (temperature < 0 || temperature > 1) throw invalidRequest('temperature: Input should be less than or equal to 1', 'temperature');
    request.temperature = temperature;
  }
  const topP = optNumber(body.top_p, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const topK = optInteger(body.top_k, 'top_k', 0);
  if (topK !== undefined) request.topK = topK;
  if (body.stop_sequences !== undefined && body.stop_sequences !== null) {
    request.stopSequences = readArray(body.stop_sequences, 'stop_sequences').map((item, index) => readString(item, `stop_sequences.${index}`));
  }
  if (body.metadata !== undefined && body.metadata !== null) {
    const metadata = readObject(body.metadata, 'metadata');
    const user = optString(metadata.user_id, 'metadata.user_id');
    if (user !== undefined) request.user = user;
    const rest = unknownFields(metadata, new Set(['user_id']));
    if (rest !== undefined) extra.metadata = rest;
  }
  const tier = optString(body.service_tier, 'service_tier');
  if (tier !== undefined) request.serviceTier = tier;
  if (body.tools !== undefined && body.tools !== null) request.tools = decodeAnthropicTools(body.tools);
  if (body.tool_choice !== undefined && body.tool_choice !== null) decodeAnthropicToolChoice(body.tool_choice, request);
  if (body.thinking !== undefined && body.thinking !== null) request.reasoning = decodeThinking(body.thinking, extra);
  if (body.output_config !== undefined && body.output_config !== null) decodeOutputConfig(body.output_config, request, extra);
  const betas = parseBetaHeader(headers['anthropic-beta']);
  if (betas.length > 0) extra.betas = betas;
  if (Object.keys(extra).length > 0) request.providerOptions = { anthropic: extra };

  const decoded: DecodedChatRequest = { request, directives: {}, gatewayFields: [] };
  if (body.fallbacks !== undefined && body.fallbacks !== null) {
    decoded.directives.fallbacks = readArray(body.fallbacks, 'fallbacks').map((item, index) => readString(item, `fallbacks.${index}`));
    decoded.gatewayFields = ['fallbacks'];
  }
  return decoded;
}
