import type { ChatRequest, ReasoningOptions, Warning } from '../../core/index.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { convertToCohereMessages } from './convert-to-cohere-messages.js';

type Json = Record<string, unknown>;

const FAMILIES = ['cohere'] as const;

/**
 * Thinking budgets for OpenAI-style effort levels. Cohere takes only a token budget
 * (`thinking.token_budget`); these are the budgets the gateway sends for each level.
 */
export const COHERE_BUDGET_FOR_EFFORT: Record<Exclude<NonNullable<ReasoningOptions['effort']>, 'none'>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
};

function unsupported(param: string, providerName: string, warnings: Warning[], why = 'is not supported by'): void {
  warnings.push({ code: 'unsupported-parameter', param, message: `${param} ${why} ${providerName} and was not sent` });
}

function thinking(reasoning: ReasoningOptions, warnings: Warning[]): Json | undefined {
  if (reasoning.enabled === false || reasoning.effort === 'none') return { type: 'disabled' };
  if (reasoning.budgetTokens !== undefined) return { type: 'enabled', token_budget: reasoning.budgetTokens };
  if (reasoning.effort !== undefined) {
    const budget = COHERE_BUDGET_FOR_EFFORT[reasoning.effort];
    warnings.push({
      code: 'lossy-conversion',
      param: 'reasoning_effort',
      message: `Cohere takes a thinking token budget, not an effort level; reasoning_effort "${reasoning.effort}" was sent as token_budget ${budget}`,
    });
    return { type: 'enabled', token_budget: budget };
  }
  if (reasoning.enabled === true) return { type: 'enabled' };
  return undefined;
}

function hasCacheControl(request: ChatRequest): boolean {
  if (request.tools?.some((tool) => tool.type === 'function' && tool.cacheControl !== undefined)) return true;
  return request.messages.some((message) => message.content.some((part) => part.cacheControl !== undefined));
}

/**
 * Canonical request → Cohere v2 /chat body. https://docs.cohere.com/reference/chat
 * Parameters Cohere has no equivalent for are warned about, never dropped silently.
 */
export function convertToCohereChatRequest(request: ChatRequest, model: string, providerName: string, warnings: Warning[]): Json {
  const { messages, documents } = convertToCohereMessages(request.messages, warnings);
  const body: Json = { model, messages };
  if (request.stream) body.stream = true;
  if (documents.length > 0) body.documents = documents;
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.p = request.topP;
  if (request.topK !== undefined) body.k = request.topK;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stopSequences !== undefined) body.stop_sequences = request.stopSequences;
  if (request.logprobs !== undefined) body.logprobs = request.logprobs;
  if (request.n !== undefined && request.n !== 1) unsupported('n', providerName, warnings, '(several choices) is not supported by');
  if (request.topLogprobs !== undefined) unsupported('top_logprobs', providerName, warnings);
  if (request.logitBias !== undefined) unsupported('logit_bias', providerName, warnings);
  if (request.user !== undefined) unsupported('user', providerName, warnings);
  if (request.serviceTier !== undefined) unsupported('service_tier', providerName, warnings);
  if (request.parallelToolCalls === false) unsupported('parallel_tool_calls', providerName, warnings, '= false is not supported by');
  if (hasCacheControl(request)) {
    warnings.push({ code: 'unsupported-parameter', param: 'cache_control', message: `${providerName} caches prompts automatically; cache breakpoints were not sent` });
  }

  let tools = request.tools ?? [];
  const choice = request.toolChoice;
  if (choice?.type === 'tool') {
    // Cohere cannot force one named tool: offer only that tool and require a call.
    tools = tools.filter((tool) => tool.name === choice.name);
    body.tool_choice = 'REQUIRED';
    warnings.push({ code: 'emulated', param: 'tool_choice', message: `Cohere cannot force a named tool; only "${choice.name}" was offered, with tool_choice REQUIRED` });
  } else if (choice?.type === 'required') {
    body.tool_choice = 'REQUIRED';
  } else if (choice?.type === 'none') {
    body.tool_choice = 'NONE';
  }
  const converted: Json[] = [];
  let strict = 0;
  let functions = 0;
  for (const tool of tools) {
    if (tool.type === 'function') {
      functions++;
      if (tool.strict === true) strict++;
      const fn: Json = { name: tool.name, parameters: tool.parameters };
      if (tool.description !== undefined) fn.description = tool.description;
      const entry: Json = { type: 'function', function: fn };
      converted.push(tool.providerOptions?.cohere ? { ...entry, ...tool.providerOptions.cohere } : entry);
    } else if (tool.provider === 'cohere') {
      converted.push(tool.spec);
    } else {
      warnings.push({ code: 'unsupported-parameter', param: 'tools', message: `the ${tool.provider} tool "${tool.name}" is not available on ${providerName} and was not sent` });
    }
  }
  if (converted.length > 0) body.tools = converted;
  if (strict > 0) {
    body.strict_tools = true;
    if (strict < functions) {
      warnings.push({ code: 'lossy-conversion', param: 'tools', message: 'Cohere applies strict schemas to all tools or none; all tools were sent strict' });
    }
  }

  const format = request.responseFormat;
  if (format !== undefined) {
    if (format.type === 'text') body.response_format = { type: 'text' };
    else if (format.type === 'json') body.response_format = { type: 'json_object' };
    else body.response_format = { type: 'json_object', json_schema: format.schema };
  }
  if (request.reasoning !== undefined) {
    const value = thinking(request.reasoning, warnings);
    if (value !== undefined) body.thinking = value;
  }
  const own = request.providerOptions?.cohere;
  if (own !== undefined) {
    Object.assign(body, own);
    if (documents.length > 0 && Array.isArray(own.documents)) body.documents = [...(own.documents as unknown[]), ...documents];
  }
  warnForeignProviderOptions(request.providerOptions, FAMILIES, providerName, warnings);
  return body;
}
