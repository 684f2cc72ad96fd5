import type { ChatRequest, Warning } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import type { BedrockModelFamily } from './bedrock-model-id.js';
import type { BedrockOptions } from './bedrock-settings.js';
import { convertBedrockReasoning } from './convert-bedrock-reasoning.js';
import { convertToBedrockMessages } from './convert-to-bedrock-messages.js';
import { convertToBedrockToolConfig } from './convert-to-bedrock-tools.js';

type Json = Record<string, unknown>;

const SERVICE_TIERS = new Set(['default', 'flex', 'priority', 'reserved']);
/** Objects in the body that a client's providerOptions.bedrock extend rather than replace. */
const MERGED_FIELDS = ['inferenceConfig', 'additionalModelRequestFields', 'toolConfig', 'outputConfig'];

export interface ConverseRequestContext {
  family: BedrockModelFamily;
  options: Pick<BedrockOptions, 'guardrail'>;
  providerName: string;
  warnings: Warning[];
}

function unsupported(param: string, context: ConverseRequestContext): void {
  context.warnings.push({ code: 'unsupported-parameter', param, message: `${param} is not supported by ${context.providerName} and was not sent` });
}

/** top_k has no Converse field; each family takes it in its own request fields. */
function topKFields(topK: number, context: ConverseRequestContext): Json | undefined {
  if (context.family === 'anthropic' || context.family === 'mistral') return { top_k: topK };
  if (context.family === 'nova') return { inferenceConfig: { topK } };
  unsupported('top_k', context);
  return undefined;
}

/** Deep-merge plain objects into `target` (copies, so the client's options are never mutated). */
function mergeInto(target: Json, source: Json): Json {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isRecord(existing) && isRecord(value)) mergeInto(existing, value);
    else target[key] = isRecord(value) ? mergeInto({}, value) : value;
  }
  return target;
}

/**
 * Canonical request → Converse / ConverseStream body
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html).
 * The model id travels in the URL path, not the body. Parameters Converse has no field for
 * (penalties, seed, n, logprobs, logit bias, user) are reported, never dropped silently.
 */
export function convertToBedrockConverseRequest(request: ChatRequest, context: ConverseRequestContext): Json {
  const { warnings } = context;
  const conversion = { providerName: context.providerName, warnings, documents: 0 };
  const prompt = convertToBedrockMessages(request.messages, conversion);
  const body: Json = { messages: prompt.messages };
  if (prompt.system.length > 0) body.system = prompt.system;

  const inference: Json = {};
  if (request.maxOutputTokens !== undefined) inference.maxTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) inference.temperature = request.temperature;
  if (request.topP !== undefined) inference.topP = request.topP;
  if (request.stopSequences !== undefined) inference.stopSequences = request.stopSequences;

  const additional: Json = {};
  const reasoning = convertBedrockReasoning(request.reasoning, context.family, context.providerName, warnings);
  mergeInto(additional, reasoning.additional);
  if (reasoning.budgetTokens !== undefined && typeof inference.maxTokens === 'number' && inference.maxTokens <= reasoning.budgetTokens) {
    const raised = inference.maxTokens + reasoning.budgetTokens;
    warnings.push({
      code: 'lossy-conversion',
      param: 'max_tokens',
      message: `max_tokens (${inference.maxTokens}) must exceed the thinking budget (${reasoning.budgetTokens}); ${raised} was sent so the answer keeps its room`,
    });
    inference.maxTokens = raised;
  }
  if (request.topK !== undefined) {
    const fields = topKFields(request.topK, context);
    if (fields !== undefined) mergeInto(additional, fields);
  }
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;

  const toolConfig = convertToBedrockToolConfig(request.tools, request.toolChoice, request.messages, context.providerName, warnings);
  if (toolConfig !== undefined) body.toolConfig = toolConfig;
  if (request.parallelToolCalls === false) unsupported('parallel_tool_calls', context);

  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    const schema: Json = { schema: JSON.stringify(format.schema), name: format.name };
    if (format.description !== undefined) schema.description = format.description;
    body.outputConfig = { textFormat: { type: 'json_schema', structure: { jsonSchema: schema } } };
  } else if (format?.type === 'json') {
    warnings.push({
      code: 'unsupported-parameter',
      param: 'response_format',
      message: `${context.providerName} enforces JSON only with a schema; response_format "json_object" was not sent`,
    });
  }

  if (request.serviceTier !== undefined) {
    if (SERVICE_TIERS.has(request.serviceTier)) body.serviceTier = { type: request.serviceTier };
    else context.warnings.push({ code: 'unsupported-parameter', param: 'service_tier', message: `${context.providerName} has no service tier "${request.serviceTier}"; it was not sent` });
  }
  if (request.frequencyPenalty !== undefined) unsupported('frequency_penalty', context);
  if (request.presencePenalty !== undefined) unsupported('presence_penalty', context);
  if (request.seed !== undefined) unsupported('seed', context);
  if (request.n !== undefined && request.n > 1) unsupported('n', context);
  if (request.logprobs === true) unsupported('logprobs', context);
  if (request.topLogprobs !== undefined) unsupported('top_logprobs', context);
  if (request.logitBias !== undefined) unsupported('logit_bias', context);
  if (request.user !== undefined) unsupported('user', context);

  const guardrail = context.options.guardrail;
  if (guardrail !== undefined) {
    const config: Json = { guardrailIdentifier: guardrail.id, guardrailVersion: guardrail.version };
    if (guardrail.trace !== undefined) config.trace = guardrail.trace;
    if (request.stream && guardrail.streamProcessingMode !== undefined) config.streamProcessingMode = guardrail.streamProcessingMode;
    body.guardrailConfig = config;
  }
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;

  const own = request.providerOptions?.bedrock;
  if (own !== undefined) {
    for (const [key, value] of Object.entries(own)) {
      const existing = body[key];
      if (MERGED_FIELDS.includes(key) && isRecord(existing) && isRecord(value)) mergeInto(existing, value);
      else body[key] = value;
    }
  }
  warnForeignProviderOptions(request.providerOptions, ['bedrock'], context.providerName, warnings);
  return body;
}
