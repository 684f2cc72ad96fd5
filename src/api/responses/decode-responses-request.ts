import type { ChatRequest, Message, ReasoningOptions, ResponseFormat, SystemMessage, Tool, ToolChoice } from '../../core/index.js';
import { GatewayError, invalidRequest } from '../../core/index.js';
import {
  optBoolean,
  optInteger,
  optNumber,
  optString,
  readArray,
  readEnum,
  readObject,
  readString,
  requireField,
  unknownFields,
} from '../../json/request-reader.js';
import { OPAQUE_ITEMS_OPTION, REASONING_SUMMARY_OPTION } from '../../providers/openai-responses/convert-to-responses-request.js';
import type { OpaqueInputItem } from '../../providers/openai-responses/convert-to-responses-input.js';
import { RESPONSES_FAMILY } from '../../providers/openai-responses/responses-family.js';
import type { DecodedChatRequest } from '../surface.js';
import { decodeResponsesInput } from './decode-responses-input.js';

type Json = Record<string, unknown>;

/** What the Responses surface needs beyond the canonical request. */
export interface ResponsesRequestInfo {
  /** The `instructions` system message; it does not carry over to later turns. */
  instructions?: SystemMessage;
  /** This turn's input, canonical. */
  input: Message[];
  opaqueItems: OpaqueInputItem[];
  /** This turn's input items in Responses form (for input_items). */
  items: Json[];
  previousResponseId?: string;
  /** The client wants the response stored (the API default). */
  store: boolean;
  /** `include` values the client asked for (e.g. reasoning.encrypted_content). */
  include: string[];
  /** The request body, for the parameters a response object echoes. */
  body: Json;
}

export interface DecodedResponsesRequest extends DecodedChatRequest {
  responses: ResponsesRequestInfo;
}

const KNOWN_FIELDS = new Set([
  'model',
  'input',
  'instructions',
  'stream',
  'max_output_tokens',
  'temperature',
  'top_p',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'user',
  'service_tier',
  'store',
  'previous_response_id',
  'include',
  'top_logprobs',
  'background',
  'prompt_cache_key',
  'safety_identifier',
  'prompt_cache_retention',
  'fallbacks',
]);

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

function decodeTools(value: unknown): Tool[] {
  return readArray(value, 'tools').map((entry, index): Tool => {
    const path = `tools[${index}]`;
    const tool = readObject(entry, path);
    const type = readString(requireField(tool, 'type', `${path}.type`), `${path}.type`);
    if (type !== 'function') {
      // Built-in and custom tools are the Responses API's own; other dialects report them.
      const name = typeof tool.name === 'string' ? tool.name : type;
      return { type: 'provider', provider: RESPONSES_FAMILY, name, spec: tool };
    }
    const name = readString(requireField(tool, 'name', `${path}.name`), `${path}.name`);
    const description = optString(tool.description, `${path}.description`);
    const parameters = tool.parameters === undefined || tool.parameters === null ? { type: 'object', properties: {} } : readObject(tool.parameters, `${path}.parameters`);
    const strict = optBoolean(tool.strict, `${path}.strict`);
    const others = unknownFields(tool, new Set(['type', 'name', 'description', 'parameters', 'strict']));
    // The Responses API treats an absent `strict` as true; say so to Responses providers only,
    // since the other dialects default to non-strict schemas.
    const own = { ...(strict === undefined ? { strict: true } : {}), ...others };
    return {
      type: 'function',
      name,
      parameters,
      ...(description === undefined ? {} : { description }),
      ...(strict === undefined ? {} : { strict }),
      ...(Object.keys(own).length === 0 ? {} : { providerOptions: { [RESPONSES_FAMILY]: own } }),
    };
  });
}

function decodeToolChoice(value: unknown, own: Json): ToolChoice | undefined {
  if (typeof value === 'string') return { type: readEnum(value, 'tool_choice', ['none', 'auto', 'required'] as const) };
  const choice = readObject(value, 'tool_choice');
  if ((choice.type === 'function' || choice.type === 'custom') && typeof choice.name === 'string') return { type: 'tool', name: choice.name };
  // allowed_tools, built-in tool and MCP choices only mean something to the Responses API.
  own.tool_choice = value;
  return undefined;
}

function decodeText(value: unknown, shared: Json): ResponseFormat | undefined {
  const text = readObject(value, 'text');
  if (text.verbosity !== undefined && text.verbosity !== null) shared.verbosity = readEnum(text.verbosity, 'text.verbosity', ['low', 'medium', 'high'] as const);
  if (text.format === undefined || text.format === null) return undefined;
  const format = readObject(text.format, 'text.format');
  const type = readEnum(format.type, 'text.format.type', ['text', 'json_object', 'json_schema'] as const);
  if (type === 'text') return { type: 'text' };
  if (type === 'json_object') return { type: 'json' };
  const description = optString(format.description, 'text.format.description');
  const strict = optBoolean(format.strict, 'text.format.strict');
  return {
    type: 'json-schema',
    name: readString(requireField(format, 'name', 'text.format.name'), 'text.format.name'),
    schema: readObject(requireField(format, 'schema', 'text.format.schema'), 'text.format.schema'),
    ...(description === undefined ? {} : { description }),
    ...(strict === undefined ? {} : { strict }),
  };
}

function decodeReasoning(value: unknown, own: Json): ReasoningOptions | undefined {
  const reasoning = readObject(value, 'reasoning');
  const options: ReasoningOptions = {};
  if (reasoning.effort !== undefined && reasoning.effort !== null) options.effort = readEnum(reasoning.effort, 'reasoning.effort', EFFORTS);
  const summary = reasoning.summary ?? reasoning.generate_summary;
  if (summary !== undefined && summary !== null) {
    own[REASONING_SUMMARY_OPTION] = readEnum(summary, 'reasoning.summary', ['auto', 'concise', 'detailed'] as const);
    options.includeThoughts = true;
  }
  return Object.keys(options).length === 0 ? undefined : options;
}

/** A Responses API create body (POST /v1/responses) → canonical request, validated. */
export function decodeResponsesRequest(value: unknown): DecodedResponsesRequest {
  const body = readObject(value, 'body');
  const model = readString(requireField(body, 'model', 'model'), 'model');
  if (model === '') throw invalidRequest("Invalid 'model': empty string.", 'model');
  if (body.background === true) {
    throw new GatewayError({ code: 'not_supported', status: 400, param: 'background', message: 'Background responses are not supported by the gateway; send the request without background: true.' });
  }
  const own: Json = unknownFields(body, KNOWN_FIELDS) ?? {};
  const shared: Json = {};
  const input = decodeResponsesInput(requireField(body, 'input', 'input'));
  const instructionsText = optString(body.instructions, 'instructions');
  const instructions: SystemMessage | undefined =
    instructionsText === undefined || instructionsText === '' ? undefined : { role: 'system', content: [{ type: 'text', text: instructionsText }] };
  const offset = instructions === undefined ? 0 : 1;
  const request: ChatRequest = {
    model,
    messages: instructions === undefined ? [...input.messages] : [instructions, ...input.messages],
    stream: optBoolean(body.stream, 'stream') ?? false,
  };
  const maxTokens = optInteger(body.max_output_tokens, 'max_output_tokens', 1);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = optNumber(body.temperature, 'temperature');
  if (temperature !== undefined) {
    if (temperature < 0 || temperature > 2) throw invalidRequest(`Invalid 'temperature': expected a value between 0 and 2, but got ${temperature} instead.`, 'temperature');
    request.temperature = temperature;
  }
  const topP = optNumber(body.top_p, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const parallel = optBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  const user = optString(body.user, 'user');
  if (user !== undefined) request.user = user;
  const tier = optString(body.service_tier, 'service_tier');
  if (tier !== undefined) request.serviceTier = tier;
  const topLogprobs = optInteger(body.top_logprobs, 'top_logprobs', 0);
  const include = body.include === undefined || body.include === null ? [] : readArray(body.include, 'include').map((item, index) => readString(item, `include[${index}]`));
  if (include.length > 0) own.include = include;
  if (include.includes('message.output_text.logprobs')) request.logprobs = true;
  if (topLogprobs !== undefined && topLogprobs > 0) request.topLogprobs = topLogprobs;
  if (body.tools !== undefined && body.tools !== null) request.tools = decodeTools(body.tools);
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    const choice = decodeToolChoice(body.tool_choice, own);
    if (choice !== undefined) request.toolChoice = choice;
  }
  if (body.text !== undefined && body.text !== null) {
    const format = decodeText(body.text, shared);
    if (format !== undefined) request.responseFormat = format;
  }
  if (body.reasoning !== undefined && body.reasoning !== null) {
    const reasoning = decodeReasoning(body.reasoning, own);
    if (reasoning !== undefined) request.reasoning = reasoning;
  }
  for (const field of ['prompt_cache_key', 'safety_identifier', 'prompt_cache_retention']) {
    if (body[field] !== undefined && body[field] !== null) shared[field] = body[field];
  }
  const opaqueItems = input.opaqueItems.map((entry) => ({ position: entry.position + offset, item: entry.item }));
  if (opaqueItems.length > 0) own[OPAQUE_ITEMS_OPTION] = opaqueItems;
  const options: Record<string, Json> = {};
  if (Object.keys(own).length > 0) options[RESPONSES_FAMILY] = own;
  if (Object.keys(shared).length > 0) options.openai = shared;
  if (Object.keys(options).length > 0) request.providerOptions = options;

  const previous = optString(body.previous_response_id, 'previous_response_id');
  const decoded: DecodedResponsesRequest = {
    request,
    directives: {},
    gatewayFields: [],
    responses: {
      ...(instructions === undefined ? {} : { instructions }),
      input: input.messages,
      opaqueItems: input.opaqueItems,
      items: input.items,
      ...(previous === undefined ? {} : { previousResponseId: previous }),
      store: optBoolean(body.store, 'store') ?? true,
      include,
      body,
    },
  };
  if (body.fallbacks !== undefined && body.fallbacks !== null) {
    decoded.directives.fallbacks = readArray(body.fallbacks, 'fallbacks').map((item, index) => readString(item, `fallbacks[${index}]`));
    decoded.gatewayFields = ['fallbacks'];
  }
  return decoded;
}
