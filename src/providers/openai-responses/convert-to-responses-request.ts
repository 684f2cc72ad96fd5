import type { ChatRequest, ReasoningOptions, Tool, Warning } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { convertToResponsesInput, type OpaqueInputItem } from './convert-to-responses-input.js';
import { RESPONSES_FAMILY, SHARED_OPENAI_OPTIONS } from './responses-family.js';

type Json = Record<string, unknown>;

/** Request option keys the gateway itself sets under RESPONSES_FAMILY (not body fields). */
export const OPAQUE_ITEMS_OPTION = 'opaque_input_items';
export const REASONING_SUMMARY_OPTION = 'reasoning_summary';

const EFFORT_FOR_BUDGET: Array<[number, NonNullable<ReasoningOptions['effort']>]> = [
  [1024, 'low'],
  [8192, 'medium'],
  [Infinity, 'high'],
];

function unsupported(param: string, providerName: string, warnings: Warning[], why = 'the Responses API has no such parameter'): void {
  warnings.push({ code: 'unsupported-parameter', param, message: `${param} is not supported by ${providerName} (${why}) and was not sent` });
}

function convertTools(tools: Tool[], providerName: string, warnings: Warning[]): Json[] {
  const out: Json[] = [];
  for (const tool of tools) {
    if (tool.type === 'function') {
      const converted: Json = { type: 'function', name: tool.name };
      if (tool.description !== undefined) converted.description = tool.description;
      converted.parameters = tool.parameters;
      // The Responses API treats an absent `strict` as true, unlike chat completions: say what
      // the client asked for, and default to the chat behaviour.
      converted.strict = tool.strict ?? false;
      out.push(tool.providerOptions?.[RESPONSES_FAMILY] ? { ...converted, ...tool.providerOptions[RESPONSES_FAMILY] } : converted);
    } else if (tool.provider === RESPONSES_FAMILY) {
      out.push(tool.spec);
    } else if (tool.provider === 'openai' && tool.spec.type === 'custom' && isRecord(tool.spec.custom)) {
      // A chat-completions custom tool: {type: custom, custom: {name, description, format}}.
      out.push({ type: 'custom', ...tool.spec.custom });
    } else {
      warnings.push({
        code: 'unsupported-parameter',
        param: 'tools',
        message: `the ${tool.provider} tool "${tool.name}" is not available on ${providerName} and was not sent`,
      });
    }
  }
  return out;
}

function isCustomTool(tools: Tool[] | undefined, name: string): boolean {
  return (tools ?? []).some((tool) => tool.type === 'provider' && tool.name === name && (tool.spec.type === 'custom' || isRecord(tool.spec.custom)));
}

function reasoningEffort(reasoning: ReasoningOptions, warnings: Warning[]): string | undefined {
  if (reasoning.effort !== undefined) return reasoning.effort;
  if (reasoning.budgetTokens !== undefined) {
    const budget = reasoning.budgetTokens;
    const effort = EFFORT_FOR_BUDGET.find(([limit]) => budget <= limit)![1];
    warnings.push({ code: 'lossy-conversion', param: 'reasoning', message: `a thinking budget of ${budget} tokens was sent as reasoning effort "${effort}"` });
    return effort;
  }
  if (reasoning.enabled === false) return 'none';
  return undefined;
}

/**
 * Canonical request → OpenAI Responses API body (POST /responses).
 * https://platform.openai.com/docs/api-reference/responses/create
 *
 * `store` is false unless the client asked for it, so the provider keeps no copy; reasoning is
 * then carried statelessly, by asking for `reasoning.encrypted_content` whenever reasoning is
 * requested or sent back. Parameters the API lacks (stop, n, seed, penalties, top_k,
 * logit_bias) produce warnings.
 */
export function convertToResponsesRequest(request: ChatRequest, model: string, providerName: string, warnings: Warning[]): Json {
  const own: Json = { ...request.providerOptions?.[RESPONSES_FAMILY] };
  const opaqueItems = Array.isArray(own[OPAQUE_ITEMS_OPTION]) ? (own[OPAQUE_ITEMS_OPTION] as OpaqueInputItem[]) : undefined;
  const summary = typeof own[REASONING_SUMMARY_OPTION] === 'string' ? (own[REASONING_SUMMARY_OPTION] as string) : undefined;
  delete own[OPAQUE_ITEMS_OPTION];
  delete own[REASONING_SUMMARY_OPTION];
  const shared: Json = {};
  for (const [key, value] of Object.entries(request.providerOptions?.openai ?? {})) {
    if (SHARED_OPENAI_OPTIONS.has(key)) shared[key] = value;
    else if (key === 'verbosity') shared.verbosity = value;
    else unsupported(key, providerName, warnings, 'a chat-completions option');
  }
  const store = own.store ?? shared.store ?? false;
  const converted = convertToResponsesInput(request.messages, {
    store: store === true,
    warnings,
    ...(opaqueItems === undefined ? {} : { opaqueItems }),
  });

  const body: Json = { model };
  if (converted.instructions !== undefined) body.instructions = converted.instructions;
  body.input = converted.input;
  if (request.stream) body.stream = true;
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.user !== undefined) body.user = request.user;
  if (request.serviceTier !== undefined) body.service_tier = request.serviceTier;
  const absent: Array<[string, unknown]> = [
    ['stop', request.stopSequences],
    ['n', request.n === 1 ? undefined : request.n],
    ['seed', request.seed],
    ['frequency_penalty', request.frequencyPenalty],
    ['presence_penalty', request.presencePenalty],
    ['top_k', request.topK],
    ['logit_bias', request.logitBias],
  ];
  for (const [param, value] of absent) if (value !== undefined) unsupported(param, providerName, warnings);

  const include: string[] = [];
  if (request.logprobs === true || request.topLogprobs !== undefined) {
    include.push('message.output_text.logprobs');
    if (request.topLogprobs !== undefined) body.top_logprobs = request.topLogprobs;
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    const tools = convertTools(request.tools, providerName, warnings);
    if (tools.length > 0) body.tools = tools;
  }
  const choice = request.toolChoice;
  if (choice !== undefined) {
    body.tool_choice =
      choice.type === 'tool' ? { type: isCustomTool(request.tools, choice.name) ? 'custom' : 'function', name: choice.name } : choice.type;
  }

  const text: Json = {};
  const format = request.responseFormat;
  if (format !== undefined) {
    if (format.type === 'text') text.format = { type: 'text' };
    else if (format.type === 'json') text.format = { type: 'json_object' };
    else {
      const schema: Json = { type: 'json_schema', name: format.name };
      if (format.description !== undefined) schema.description = format.description;
      schema.schema = format.schema;
      if (format.strict !== undefined) schema.strict = format.strict;
      text.format = schema;
    }
  }
  if (shared.verbosity !== undefined) {
    text.verbosity = shared.verbosity;
    delete shared.verbosity;
  }
  if (Object.keys(text).length > 0) body.text = text;

  const reasoning: Json = {};
  if (request.reasoning !== undefined) {
    const effort = reasoningEffort(request.reasoning, warnings);
    if (effort !== undefined) reasoning.effort = effort;
  }
  const summaryLevel = summary ?? (request.reasoning?.includeThoughts === true ? 'auto' : undefined);
  if (summaryLevel !== undefined) reasoning.summary = summaryLevel;
  if (Object.keys(reasoning).length > 0) body.reasoning = reasoning;
  if (store !== true && (Object.keys(reasoning).length > 0 || converted.carriesReasoning) && reasoning.effort !== 'none') {
    include.push('reasoning.encrypted_content');
  }

  Object.assign(body, shared, own);
  body.store = store;
  if (include.length > 0) {
    const asked = Array.isArray(own.include) ? (own.include as unknown[]) : [];
    body.include = [...new Set([...asked, ...include])];
  }
  if (!request.stream) delete body.stream_options;
  const foreign = { ...request.providerOptions };
  delete foreign.openai;
  warnForeignProviderOptions(foreign, [RESPONSES_FAMILY], providerName, warnings);
  return body;
}
