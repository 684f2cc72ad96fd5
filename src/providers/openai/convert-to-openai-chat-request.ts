import type { ChatRequest, ReasoningOptions, Warning } from '../../core/index.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { convertToOpenAiMessages } from './convert-to-openai-messages.js';
import type { OpenAiQuirks } from './openai-quirks.js';

type Json = Record<string, unknown>;

const EFFORT_FOR_BUDGET: Array<[number, string]> = [
  [1024, 'low'],
  [8192, 'medium'],
  [Infinity, 'high'],
];

function unsupported(param: string, providerName: string, warnings: Warning[]): void {
  warnings.push({ code: 'unsupported-parameter', param, message: `${param} is not supported by ${providerName} and was not sent` });
}

/**
 * Canonical request → OpenAI chat completions body. Streams always ask for usage (the gateway
 * accounts every request); the client's own include_usage only decides what it is shown.
 */
export function convertToOpenAiChatRequest(
  request: ChatRequest,
  model: string,
  quirks: OpenAiQuirks,
  providerName: string,
  families: readonly string[],
  warnings: Warning[],
): Json {
  const body: Json = { model, messages: convertToOpenAiMessages(request.messages, quirks, warnings) };
  const set = (param: string, field: string, value: unknown): void => {
    if (value === undefined) return;
    if (quirks.unsupported.includes(field)) unsupported(param, providerName, warnings);
    else body[field] = value;
  };
  if (request.stream) {
    body.stream = true;
    if (quirks.streamOptions) body.stream_options = { include_usage: true };
  }
  set('max_tokens', quirks.maxTokensField, request.maxOutputTokens);
  set('temperature', 'temperature', request.temperature);
  set('top_p', 'top_p', request.topP);
  if (request.topK !== undefined) {
    if (quirks.topK) body.top_k = request.topK;
    else unsupported('top_k', providerName, warnings);
  }
  set('frequency_penalty', 'frequency_penalty', request.frequencyPenalty);
  set('presence_penalty', 'presence_penalty', request.presencePenalty);
  set('seed', quirks.seedField, request.seed);
  if (request.stopSequences !== undefined) set('stop', 'stop', request.stopSequences);
  // n = 1 is everyone's default; vendors without `n` accept its absence.
  if (request.n !== 1) set('n', 'n', request.n);
  set('logprobs', 'logprobs', request.logprobs);
  set('top_logprobs', 'top_logprobs', request.topLogprobs);
  set('logit_bias', 'logit_bias', request.logitBias);
  set('user', 'user', request.user);
  set('service_tier', 'service_tier', request.serviceTier);
  set('parallel_tool_calls', 'parallel_tool_calls', request.parallelToolCalls);

  if (request.tools !== undefined && request.tools.length > 0) {
    const tools: Json[] = [];
    for (const tool of request.tools) {
      if (tool.type === 'function') {
        const fn: Json = { name: tool.name };
        if (tool.description !== undefined) fn.description = tool.description;
        fn.parameters = tool.parameters;
        if (tool.strict !== undefined) fn.strict = tool.strict;
        const converted: Json = { type: 'function', function: fn };
        tools.push(tool.providerOptions?.openai ? { ...converted, ...tool.providerOptions.openai } : converted);
      } else if (families.includes(tool.provider)) {
        tools.push(tool.spec);
      } else {
        warnings.push({
          code: 'unsupported-parameter',
          param: 'tools',
          message: `the ${tool.provider} tool "${tool.name}" is not available on ${providerName} and was not sent`,
        });
      }
    }
    if (tools.length > 0) set('tools', 'tools', tools);
  }
  if (request.toolChoice !== undefined) {
    const choice = request.toolChoice;
    set(
      'tool_choice',
      'tool_choice',
      choice.type === 'tool'
        ? { type: 'function', function: { name: choice.name } }
        : choice.type === 'required'
          ? quirks.requiredToolChoice
          : choice.type,
    );
  }
  const format = request.responseFormat;
  if (format !== undefined) {
    if (format.type === 'text') set('response_format', 'response_format', { type: 'text' });
    else if (format.type === 'json') set('response_format', 'response_format', { type: 'json_object' });
    else {
      const schema: Json = { name: format.name };
      if (format.description !== undefined) schema.description = format.description;
      schema.schema = format.schema;
      if (format.strict !== undefined) schema.strict = format.strict;
      set('response_format', 'response_format', { type: 'json_schema', json_schema: schema });
    }
  }
  const reasoning = request.reasoning;
  if (reasoning !== undefined) {
    let effort = reasoning.effort;
    if (effort === undefined && reasoning.budgetTokens !== undefined) {
      effort = EFFORT_FOR_BUDGET.find(([limit]) => reasoning.budgetTokens! <= limit)![1] as ReasoningOptions['effort'];
      warnings.push({
        code: 'lossy-conversion',
        param: 'reasoning',
        message: `a thinking budget of ${reasoning.budgetTokens} tokens was sent as reasoning_effort "${effort}"`,
      });
    }
    if (effort === undefined && reasoning.enabled === false) effort = 'none';
    if (effort !== undefined) {
      if (quirks.reasoningEffort === false) {
        unsupported('reasoning_effort', providerName, warnings);
      } else if (quirks.reasoningEffort.includes(effort)) {
        body.reasoning_effort = effort;
      } else {
        const nearest = effort === 'minimal' || effort === 'none' ? 'low' : effort === 'xhigh' ? 'high' : 'medium';
        const fallback = quirks.reasoningEffort.includes(nearest) ? nearest : quirks.reasoningEffort[0]!;
        body.reasoning_effort = fallback;
        warnings.push({
          code: 'lossy-conversion',
          param: 'reasoning_effort',
          message: `${providerName} does not accept reasoning_effort "${effort}"; sent "${fallback}"`,
        });
      }
    }
  }
  const own = request.providerOptions;
  if (own !== undefined) {
    for (const family of families) if (own[family] !== undefined) Object.assign(body, own[family]);
    // Client stream options (e.g. include_obfuscation) merge with the usage the gateway needs.
    if (request.stream && quirks.streamOptions && body.stream_options !== undefined) {
      body.stream_options = { ...(body.stream_options as object), include_usage: true };
    } else if (!request.stream) {
      delete body.stream_options;
    }
  }
  warnForeignProviderOptions(own, families, providerName, warnings);
  return body;
}
