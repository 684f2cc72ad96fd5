import type { ChatRequest, Message, ReasoningOptions, ResponseFormat, Tool, ToolChoice } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { optInteger, optNumber, optString, optStringList, readArray, readObject, readString, requireField } from '../../json/request-reader.js';
import type { DecodedChatRequest, SurfaceRequestInfo } from '../surface.js';
import { decodeConverseMessage, decodeConverseSystem } from './decode-converse-content.js';

type Json = Record<string, unknown>;

/** Top-level fields with a canonical meaning; the rest go to providerOptions.bedrock. */
const KNOWN_FIELDS = new Set(['modelId', 'messages', 'system', 'inferenceConfig', 'toolConfig', 'additionalModelRequestFields', 'outputConfig', 'serviceTier']);
const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

function decodeTools(value: unknown): { tools: Tool[]; toolChoice?: ToolChoice } {
  const config = readObject(value, 'toolConfig');
  const tools: Tool[] = [];
  readArray(requireField(config, 'tools', 'toolConfig.tools'), 'toolConfig.tools').forEach((item, index) => {
    const path = `toolConfig.tools[${index}]`;
    const tool = readObject(item, path);
    if (tool.cachePoint !== undefined) {
      const previous = tools[tools.length - 1];
      if (previous?.type === 'function') {
        const point = isRecord(tool.cachePoint) ? tool.cachePoint : {};
        previous.cacheControl = typeof point.ttl === 'string' ? { type: 'ephemeral', ttl: point.ttl } : { type: 'ephemeral' };
      }
      return;
    }
    if (tool.toolSpec === undefined) {
      // systemTool and future tool kinds travel unchanged to Bedrock.
      tools.push({ type: 'provider', provider: 'bedrock', name: Object.keys(tool)[0] ?? 'tool', spec: tool });
      return;
    }
    const spec = readObject(tool.toolSpec, `${path}.toolSpec`);
    const schema = readObject(requireField(spec, 'inputSchema', `${path}.toolSpec.inputSchema`), `${path}.toolSpec.inputSchema`);
    const description = optString(spec.description, `${path}.toolSpec.description`);
    tools.push({
      type: 'function',
      name: readString(requireField(spec, 'name', `${path}.toolSpec.name`), `${path}.toolSpec.name`),
      parameters: isRecord(schema.json) ? schema.json : { type: 'object', properties: {} },
      ...(description === undefined ? {} : { description }),
      ...(typeof spec.strict === 'boolean' ? { strict: spec.strict } : {}),
    });
  });
  const out: { tools: Tool[]; toolChoice?: ToolChoice } = { tools };
  if (config.toolChoice !== undefined) {
    const choice = readObject(config.toolChoice, 'toolConfig.toolChoice');
    if (choice.auto !== undefined) out.toolChoice = { type: 'auto' };
    else if (choice.any !== undefined) out.toolChoice = { type: 'required' };
    else if (choice.tool !== undefined) {
      const tool = readObject(choice.tool, 'toolConfig.toolChoice.tool');
      out.toolChoice = { type: 'tool', name: readString(requireField(tool, 'name', 'toolConfig.toolChoice.tool.name'), 'toolConfig.toolChoice.tool.name') };
    } else throw invalidRequest("'toolConfig.toolChoice' must be auto, any or tool.", 'toolConfig.toolChoice');
  }
  return out;
}

/**
 * Model-specific request fields with a canonical meaning (Claude `thinking` and `top_k`, Nova
 * `reasoningConfig` and `inferenceConfig.topK`, gpt-oss `reasoning_effort`) are read; anything
 * else stays in `additionalModelRequestFields` for Bedrock.
 */
function decodeAdditionalFields(value: unknown, request: ChatRequest): Json | undefined {
  const fields = { ...readObject(value, 'additionalModelRequestFields') };
  const reasoning: ReasoningOptions = {};
  if (isRecord(fields.thinking) && (fields.thinking.type === 'enabled' || fields.thinking.type === 'disabled')) {
    reasoning.enabled = fields.thinking.type === 'enabled';
    if (typeof fields.thinking.budget_tokens === 'number') reasoning.budgetTokens = fields.thinking.budget_tokens;
    delete fields.thinking;
  }
  if (isRecord(fields.reasoningConfig) && (fields.reasoningConfig.type === 'enabled' || fields.reasoningConfig.type === 'disabled')) {
    reasoning.enabled = fields.reasoningConfig.type === 'enabled';
    const effort = fields.reasoningConfig.maxReasoningEffort;
    if (typeof effort === 'string' && EFFORTS.has(effort)) reasoning.effort = effort as ReasoningOptions['effort'];
    delete fields.reasoningConfig;
  }
  if (typeof fields.reasoning_effort === 'string' && EFFORTS.has(fields.reasoning_effort)) {
    reasoning.effort = fields.reasoning_effort as ReasoningOptions['effort'];
    delete fields.reasoning_effort;
  }
  if (Object.keys(reasoning).length > 0) request.reasoning = reasoning;
  if (typeof fields.top_k === 'number') {
    request.topK = fields.top_k;
    delete fields.top_k;
  } else if (isRecord(fields.inferenceConfig) && typeof fields.inferenceConfig.topK === 'number') {
    request.topK = fields.inferenceConfig.topK;
    const { topK: _topK, ...rest } = fields.inferenceConfig;
    if (Object.keys(rest).length > 0) fields.inferenceConfig = rest;
    else delete fields.inferenceConfig;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function decodeOutputConfig(value: unknown): ResponseFormat | undefined {
  const config = readObject(value, 'outputConfig');
  if (config.textFormat === undefined) return undefined;
  const format = readObject(config.textFormat, 'outputConfig.textFormat');
  const structure = readObject(requireField(format, 'structure', 'outputConfig.textFormat.structure'), 'outputConfig.textFormat.structure');
  const jsonSchema = readObject(requireField(structure, 'jsonSchema', 'outputConfig.textFormat.structure.jsonSchema'), 'outputConfig.textFormat.structure.jsonSchema');
  const text = readString(requireField(jsonSchema, 'schema', 'outputConfig.textFormat.structure.jsonSchema.schema'), 'outputConfig.textFormat.structure.jsonSchema.schema');
  const schema = tryParseJson(text);
  if (!isRecord(schema)) throw invalidRequest("'outputConfig.textFormat.structure.jsonSchema.schema' must be a JSON schema object as a string.", 'outputConfig.textFormat.structure.jsonSchema.schema');
  const description = optString(jsonSchema.description, 'outputConfig.textFormat.structure.jsonSchema.description');
  return {
    type: 'json-schema',
    name: optString(jsonSchema.name, 'outputConfig.textFormat.structure.jsonSchema.name') ?? 'response',
    schema,
    strict: true,
    ...(description === undefined ? {} : { description }),
  };
}

/**
 * A Converse / ConverseStream body (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html)
 * → canonical request. The model comes from the URL path. Fields without a canonical form
 * (guardrailConfig, performanceConfig, requestMetadata, promptVariables, ...) are kept in
 * providerOptions.bedrock: a Bedrock provider sends them on, others report them.
 */
export function decodeConverseRequest(value: unknown, info: SurfaceRequestInfo, stream: boolean): DecodedChatRequest {
  const body = readObject(value, 'body');
  const model = info.params.modelId ?? '';
  if (model === '') throw invalidRequest('The model id in the path is empty.', 'modelId');
  const messages: Message[] = [];
  if (body.system !== undefined && body.system !== null) messages.push(...decodeConverseSystem(body.system));
  readArray(requireField(body, 'messages', 'messages'), 'messages').forEach((item, index) => messages.push(...decodeConverseMessage(item, `messages[${index}]`)));
  const request: ChatRequest = { model, messages, stream };
  if (stream) request.includeUsage = true;

  if (body.inferenceConfig !== undefined && body.inferenceConfig !== null) {
    const inference = readObject(body.inferenceConfig, 'inferenceConfig');
    const maxTokens = optInteger(inference.maxTokens, 'inferenceConfig.maxTokens', 1);
    if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
    const temperature = optNumber(inference.temperature, 'inferenceConfig.temperature');
    if (temperature !== undefined) request.temperature = temperature;
    const topP = optNumber(inference.topP, 'inferenceConfig.topP');
    if (topP !== undefined) request.topP = topP;
    const stop = optStringList(inference.stopSequences, 'inferenceConfig.stopSequences');
    if (stop !== undefined) request.stopSequences = stop;
  }
  if (body.toolConfig !== undefined && body.toolConfig !== null) {
    const { tools, toolChoice } = decodeTools(body.toolConfig);
    if (tools.length > 0) request.tools = tools;
    if (toolChoice !== undefined) request.toolChoice = toolChoice;
  }
  const extra: Json = {};
  for (const key in body) if (!KNOWN_FIELDS.has(key)) extra[key] = body[key];
  if (body.additionalModelRequestFields !== undefined && body.additionalModelRequestFields !== null) {
    const rest = decodeAdditionalFields(body.additionalModelRequestFields, request);
    if (rest !== undefined) extra.additionalModelRequestFields = rest;
  }
  if (body.outputConfig !== undefined && body.outputConfig !== null) {
    const format = decodeOutputConfig(body.outputConfig);
    if (format !== undefined) request.responseFormat = format;
    const { textFormat: _format, ...others } = readObject(body.outputConfig, 'outputConfig');
    if (Object.keys(others).length > 0) extra.outputConfig = others;
  }
  if (isRecord(body.serviceTier) && typeof body.serviceTier.type === 'string') request.serviceTier = body.serviceTier.type;
  if (Object.keys(extra).length > 0) request.providerOptions = { bedrock: extra };
  return { request, directives: {}, gatewayFields: [] };
}
