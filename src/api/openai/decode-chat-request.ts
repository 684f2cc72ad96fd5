import type { ChatRequest, ReasoningOptions, ResponseFormat, Tool, ToolChoice } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import {
  optBoolean,
  optInteger,
  optNumber,
  optString,
  optStringList,
  readArray,
  readEnum,
  readNumber,
  readObject,
  readString,
  requireField,
  unknownFields,
} from '../../json/request-reader.js';
import type { DecodedChatRequest } from '../surface.js';
import { decodeChatMessages } from './decode-chat-messages.js';

/** Fields the canonical model understands; everything else is kept in providerOptions.openai. */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'stop',
  'n',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'user',
  'service_tier',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  'fallbacks',
]);

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

function decodeTools(value: unknown): Tool[] {
  const tools: Tool[] = [];
  readArray(value, 'tools').forEach((item, index) => {
    const path = `tools[${index}]`;
    const tool = readObject(item, path);
    const type = readString(requireField(tool, 'type', `${path}.type`), `${path}.type`);
    if (type !== 'function') {
      // Custom and built-in OpenAI tools travel unchanged to OpenAI-dialect providers.
      tools.push({ type: 'provider', provider: 'openai', name: type, spec: tool });
      return;
    }
    const fn = readObject(requireField(tool, 'function', `${path}.function`), `${path}.function`);
    const name = readString(requireField(fn, 'name', `${path}.function.name`), `${path}.function.name`);
    const description = optString(fn.description, `${path}.function.description`);
    const parameters = fn.parameters === undefined || fn.parameters === null ? { type: 'object', properties: {} } : readObject(fn.parameters, `${path}.function.parameters`);
    const strict = optBoolean(fn.strict, `${path}.function.strict`);
    tools.push({
      type: 'function',
      name,
      parameters,
      ...(description === undefined ? {} : { description }),
      ...(strict === undefined ? {} : { strict }),
    });
  });
  return tools;
}

function decodeToolChoice(value: unknown, extra: Record<string, unknown>): ToolChoice | undefined {
  if (typeof value === 'string') {
    const choice = readEnum(value, 'tool_choice', ['none', 'auto', 'required'] as const);
    return { type: choice };
  }
  const choice = readObject(value, 'tool_choice');
  if (choice.type === 'function') {
    const fn = readObject(requireField(choice, 'function', 'tool_choice.function'), 'tool_choice.function');
    return { type: 'tool', name: readString(requireField(fn, 'name', 'tool_choice.function.name'), 'tool_choice.function.name') };
  }
  // allowed_tools / custom choices have no canonical form; keep them for OpenAI-dialect providers.
  extra.tool_choice = value;
  return undefined;
}

function decodeResponseFormat(value: unknown): ResponseFormat {
  const format = readObject(value, 'response_format');
  const type = readEnum(format.type, 'response_format.type', ['text', 'json_object', 'json_schema'] as const);
  if (type === 'text') return { type: 'text' };
  if (type === 'json_object') return { type: 'json' };
  const schema = readObject(requireField(format, 'json_schema', 'response_format.json_schema'), 'response_format.json_schema');
  const name = readString(requireField(schema, 'name', 'response_format.json_schema.name'), 'response_format.json_schema.name');
  const description = optString(schema.description, 'response_format.json_schema.description');
  const strict = optBoolean(schema.strict, 'response_format.json_schema.strict');
  return {
    type: 'json-schema',
    name,
    schema: schema.schema === undefined || schema.schema === null ? {} : readObject(schema.schema, 'response_format.json_schema.schema'),
    ...(description === undefined ? {} : { description }),
    ...(strict === undefined ? {} : { strict }),
  };
}

/**
 * Reasoning options from OpenAI's own `reasoning_effort`. Vendor switches sent through this
 * surface (`thinking` for DeepSeek, `reasoning` for OpenRouter, `reasoning_format` for Groq) are
 * vendor fields: they stay in providerOptions.openai and reach OpenAI-dialect providers as sent.
 */
function decodeReasoning(body: Record<string, unknown>): ReasoningOptions | undefined {
  if (body.reasoning_effort === undefined || body.reasoning_effort === null) return undefined;
  return { effort: readEnum(body.reasoning_effort, 'reasoning_effort', EFFORTS) };
}

/** An OpenAI chat completions body → canonical request (validated). */
export function decodeOpenAiChatRequest(value: unknown): DecodedChatRequest {
  const body = readObject(value, 'body');
  const model = readString(requireField(body, 'model', 'model'), 'model');
  if (model === '') throw invalidRequest("Invalid 'model': empty string.", 'model');
  const messages = decodeChatMessages(requireField(body, 'messages', 'messages'));
  const extra = unknownFields(body, KNOWN_FIELDS) ?? {};
  const request: ChatRequest = { model, messages, stream: optBoolean(body.stream, 'stream') ?? false };

  const streamOptions = body.stream_options === undefined || body.stream_options === null ? undefined : readObject(body.stream_options, 'stream_options');
  if (streamOptions !== undefined) {
    const include = optBoolean(streamOptions.include_usage, 'stream_options.include_usage');
    if (include !== undefined) request.includeUsage = include;
    const others = unknownFields(streamOptions, new Set(['include_usage']));
    if (others !== undefined) extra.stream_options = others;
  }
  const maxTokens = optInteger(body.max_completion_tokens, 'max_completion_tokens', 1) ?? optInteger(body.max_tokens, 'max_tokens', 1);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const number = (field: string): number | undefined => optNumber(body[field], field);
  const temperature = number('temperature');
  if (temperature !== undefined) {
    if (temperature < 0 || temperature > 2) throw invalidRequest(`Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${temperature} instead.`, 'temperature');
    request.temperature = temperature;
  }
  const topP = number('top_p');
  if (topP !== undefined) request.topP = topP;
  const topK = optInteger(body.top_k, 'top_k', 0);
  if (topK !== undefined) request.topK = topK;
  const frequency = number('frequency_penalty');
  if (frequency !== undefined) request.frequencyPenalty = frequency;
  const presence = number('presence_penalty');
  if (presence !== undefined) request.presencePenalty = presence;
  const seed = optInteger(body.seed, 'seed');
  if (seed !== undefined) request.seed = seed;
  const stop = optStringList(body.stop, 'stop');
  if (stop !== undefined) request.stopSequences = stop;
  const n = optInteger(body.n, 'n', 1);
  if (n !== undefined) request.n = n;
  const logprobs = optBoolean(body.logprobs, 'logprobs');
  if (logprobs !== undefined) request.logprobs = logprobs;
  const topLogprobs = optInteger(body.top_logprobs, 'top_logprobs', 0);
  if (topLogprobs !== undefined) request.topLogprobs = topLogprobs;
  if (body.logit_bias !== undefined && body.logit_bias !== null) {
    const bias = readObject(body.logit_bias, 'logit_bias');
    for (const [token, value] of Object.entries(bias)) readNumber(value, `logit_bias.${token}`);
    request.logitBias = bias as Record<string, number>;
  }
  const user = optString(body.user, 'user');
  if (user !== undefined) request.user = user;
  const tier = optString(body.service_tier, 'service_tier');
  if (tier !== undefined) request.serviceTier = tier;
  if (body.tools !== undefined && body.tools !== null) request.tools = decodeTools(body.tools);
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    const choice = decodeToolChoice(body.tool_choice, extra);
    if (choice !== undefined) request.toolChoice = choice;
  }
  const parallel = optBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  if (body.response_format !== undefined && body.response_format !== null) request.responseFormat = decodeResponseFormat(body.response_format);
  const reasoning = decodeReasoning(body);
  if (reasoning !== undefined) request.reasoning = reasoning;
  if (Object.keys(extra).length > 0) request.providerOptions = { openai: extra };

  const decoded: DecodedChatRequest = { request, directives: {}, gatewayFields: [] };
  if (body.fallbacks !== undefined && body.fallbacks !== null) {
    decoded.directives.fallbacks = readArray(body.fallbacks, 'fallbacks').map((item, index) => readString(item, `fallbacks[${index}]`));
    decoded.gatewayFields = ['fallbacks'];
  }
  return decoded;
}
