import type { ChatRequest, FunctionTool, ReasoningOptions, ResponseFormat } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import {
  optBoolean,
  optInteger,
  optNumber,
  optString,
  optStringList,
  readArray,
  readEnum,
  readObject,
  readString,
  requireField,
  unknownFields,
} from '../../json/request-reader.js';
import type { DecodedChatRequest } from '../surface.js';
import { decodeCohereMessages } from './decode-cohere-messages.js';

/**
 * Fields with a canonical meaning. Cohere-only features (documents, citation_options,
 * safety_mode, priority, ...) are kept in providerOptions.cohere: a Cohere provider receives them
 * unchanged, any other provider reports them as not supported.
 */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'tools',
  'strict_tools',
  'tool_choice',
  'response_format',
  'max_tokens',
  'stop_sequences',
  'temperature',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'k',
  'p',
  'logprobs',
  'thinking',
  'fallbacks',
]);

function decodeTools(value: unknown, strict: boolean | undefined): FunctionTool[] {
  return readArray(value, 'tools').map((item, index) => {
    const path = `tools[${index}]`;
    const tool = readObject(item, path);
    readEnum(tool.type, `${path}.type`, ['function'] as const);
    const fn = readObject(requireField(tool, 'function', `${path}.function`), `${path}.function`);
    const name = readString(requireField(fn, 'name', `${path}.function.name`), `${path}.function.name`);
    const description = optString(fn.description, `${path}.function.description`);
    const parameters = fn.parameters === undefined || fn.parameters === null ? { type: 'object', properties: {} } : readObject(fn.parameters, `${path}.function.parameters`);
    const extra = unknownFields(tool, new Set(['type', 'function']));
    return {
      type: 'function',
      name,
      parameters,
      ...(description === undefined ? {} : { description }),
      ...(strict === undefined ? {} : { strict }),
      ...(extra === undefined ? {} : { providerOptions: { cohere: extra } }),
    };
  });
}

function decodeResponseFormat(value: unknown): ResponseFormat {
  const format = readObject(value, 'response_format');
  const type = readEnum(format.type, 'response_format.type', ['text', 'json_object'] as const);
  if (type === 'text') return { type: 'text' };
  const schema = format.json_schema ?? format.schema;
  if (schema === undefined || schema === null) return { type: 'json' };
  return { type: 'json-schema', name: 'response', schema: readObject(schema, 'response_format.json_schema'), strict: true };
}

function decodeThinking(value: unknown): ReasoningOptions {
  const thinking = readObject(value, 'thinking');
  const type = readEnum(thinking.type, 'thinking.type', ['enabled', 'disabled'] as const);
  const budget = optInteger(thinking.token_budget, 'thinking.token_budget', 1);
  return { enabled: type === 'enabled', ...(budget === undefined ? {} : { budgetTokens: budget }), includeThoughts: type === 'enabled' };
}

/** A Cohere v2 /chat body → canonical request. https://docs.cohere.com/reference/chat */
export function decodeCohereChatRequest(value: unknown): DecodedChatRequest {
  const body = readObject(value, 'body');
  const model = readString(requireField(body, 'model', 'model'), 'model');
  if (model === '') throw invalidRequest('model must not be empty', 'model');
  const stream = optBoolean(body.stream, 'stream') ?? false;
  // Cohere reports usage at the end of every stream.
  const request: ChatRequest = { model, messages: decodeCohereMessages(requireField(body, 'messages', 'messages')), stream, ...(stream ? { includeUsage: true } : {}) };
  const maxTokens = optInteger(body.max_tokens, 'max_tokens', 1);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = optNumber(body.temperature, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const p = optNumber(body.p, 'p');
  if (p !== undefined) request.topP = p;
  const k = optInteger(body.k, 'k', 0);
  if (k !== undefined) request.topK = k;
  const frequency = optNumber(body.frequency_penalty, 'frequency_penalty');
  if (frequency !== undefined) request.frequencyPenalty = frequency;
  const presence = optNumber(body.presence_penalty, 'presence_penalty');
  if (presence !== undefined) request.presencePenalty = presence;
  const seed = optInteger(body.seed, 'seed');
  if (seed !== undefined) request.seed = seed;
  const stop = optStringList(body.stop_sequences, 'stop_sequences');
  if (stop !== undefined) request.stopSequences = stop;
  const logprobs = optBoolean(body.logprobs, 'logprobs');
  if (logprobs !== undefined) request.logprobs = logprobs;
  const strict = optBoolean(body.strict_tools, 'strict_tools');
  if (body.tools !== undefined && body.tools !== null) request.tools = decodeTools(body.tools, strict);
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    const choice = readEnum(body.tool_choice, 'tool_choice', ['REQUIRED', 'NONE', 'AUTO'] as const);
    request.toolChoice = { type: choice === 'REQUIRED' ? 'required' : choice === 'NONE' ? 'none' : 'auto' };
  }
  if (body.response_format !== undefined && body.response_format !== null) request.responseFormat = decodeResponseFormat(body.response_format);
  if (body.thinking !== undefined && body.thinking !== null) request.reasoning = decodeThinking(body.thinking);
  const extra = unknownFields(body, KNOWN_FIELDS);
  if (extra !== undefined) request.providerOptions = { cohere: extra };

  const decoded: DecodedChatRequest = { request, directives: {}, gatewayFields: [] };
  if (body.fallbacks !== undefined && body.fallbacks !== null) {
    decoded.directives.fallbacks = readArray(body.fallbacks, 'fallbacks').map((item, index) => readString(item, `fallbacks[${index}]`));
    decoded.gatewayFields = ['fallbacks'];
  }
  return decoded;
}
