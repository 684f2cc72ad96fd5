import type { ChatRequest, Warning } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import type { ProviderCallContext } from '../provider.js';
import { DEFAULT_MAX_TOKENS, knownMaxOutputTokens } from './anthropic-max-output-tokens.js';
import type { ContentConversion } from './convert-to-anthropic-content.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { convertToAnthropicTools } from './convert-to-anthropic-tools.js';
import { convertReasoningToThinking } from './convert-reasoning-to-thinking.js';
import { rememberStructuredOutputTool, structuredOutputToolName } from './structured-output-tool.js';

type Json = Record<string, unknown>;

export interface AnthropicRequestOptions {
  /** How the provider is named in warnings, e.g. `provider "anthropic"`. */
  providerName: string;
  /** json_schema as native output_config.format, or emulated with a forced tool. */
  structuredOutputs: 'native' | 'tool';
  /** The upstream fetches document URLs (false on Vertex). */
  documentUrls: boolean;
}

export interface AnthropicRequest {
  body: Json;
  /** anthropic-beta values the request needs (client betas, Files API, ...). */
  betas: string[];
}

const SERVICE_TIERS = new Set(['auto', 'standard_only']);

function unsupported(param: string, providerName: string, warnings: Warning[]): void {
  warnings.push({ code: 'unsupported-parameter', param, message: `${param} is not supported by ${providerName} and was not sent` });
}

function resolveMaxTokens(request: ChatRequest, context: ProviderCallContext, warnings: Warning[]): number {
  if (request.maxOutputTokens !== undefined) return request.maxOutputTokens;
  const fromCatalog = context.maxOutputTokens;
  const fromTable = knownMaxOutputTokens(context.model);
  const value = fromCatalog ?? fromTable ?? DEFAULT_MAX_TOKENS;
  const source = fromCatalog !== undefined ? "the model's maximum from the catalog" : fromTable !== undefined ? "the model's documented maximum" : 'the default for unknown models';
  warnings.push({
    code: 'other',
    param: 'max_tokens',
    message: `Anthropic requires max_tokens and the request had none; sent ${value} (${source})`,
  });
  return value;
}

/** Shallow-merge the client's own Anthropic fields over the converted body. */
function mergeOwnFields(body: Json, own: Record<string, unknown>): void {
  for (const key in own) {
    if (key === 'betas') continue;
    const value = own[key];
    const current = body[key];
    body[key] = isRecord(current) && isRecord(value) ? { ...current, ...value } : value;
  }
}

/**
 * Canonical request → Anthropic Messages body. Everything Anthropic cannot honour becomes a
 * warning (n, penalties, seed, logprobs, logit_bias, audio, ...); nothing is dropped or
 * defaulted silently — max_tokens, which Anthropic requires, is filled from the catalog or the
 * documented table with a warning.
 */
export function convertToAnthropicRequest(request: ChatRequest, context: ProviderCallContext, options: AnthropicRequestOptions): AnthropicRequest {
  const warnings = context.warnings;
  const { providerName } = options;
  const state: ContentConversion = { warnings, betas: new Set(), documentUrls: options.documentUrls, providerName };
  const own = request.providerOptions?.anthropic ?? {};
  const maxTokens = resolveMaxTokens(request, context, warnings);
  const prompt = convertToAnthropicMessages(request.messages, state);
  const body: Json = { model: context.model, max_tokens: maxTokens };
  if (prompt.system !== undefined) body.system = prompt.system;
  body.messages = prompt.messages;
  if (request.stream) body.stream = true;

  // The client's own Anthropic thinking (adaptive, display, ...) is sent as it is.
  const ownThinking = isRecord(own.thinking) ? own.thinking : undefined;
  const ownOutputConfig = isRecord(own.output_config) ? own.output_config : undefined;
  const reasoning =
    ownThinking !== undefined
      ? { enabled: ownThinking.type !== 'disabled' }
      : convertReasoningToThinking(request.reasoning, maxTokens, ownOutputConfig?.effort !== undefined, warnings);
  if (reasoning.thinking !== undefined) body.thinking = reasoning.thinking;
  const thinking = reasoning.enabled;

  if (request.temperature !== undefined) {
    if (thinking && request.temperature !== 1) {
      warnings.push({ code: 'unsupported-parameter', param: 'temperature', message: 'Anthropic does not take temperature together with thinking; it was not sent' });
    } else if (request.temperature > 1) {
      warnings.push({ code: 'lossy-conversion', param: 'temperature', message: `Anthropic temperatures range from 0 to 1; ${request.temperature} was sent as 1` });
      body.temperature = 1;
    } else body.temperature = request.temperature;
  }
  if (request.topP !== undefined) {
    if (thinking && request.topP < 0.95) {
      warnings.push({ code: 'unsupported-parameter', param: 'top_p', message: 'with thinking, Anthropic takes top_p only from 0.95 to 1; it was not sent' });
    } else body.top_p = request.topP;
  }
  if (request.topK !== undefined) {
    if (thinking) warnings.push({ code: 'unsupported-parameter', param: 'top_k', message: 'Anthropic does not take top_k together with thinking; it was not sent' });
    else body.top_k = request.topK;
  }
  if (request.stopSequences !== undefined && request.stopSequences.length > 0) body.stop_sequences = request.stopSequences;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.serviceTier !== undefined) {
    if (SERVICE_TIERS.has(request.serviceTier)) body.service_tier = request.serviceTier;
    else unsupported('service_tier', providerName, warnings);
  }
  if (request.n !== undefined && request.n > 1) unsupported('n', providerName, warnings);
  if (request.frequencyPenalty !== undefined) unsupported('frequency_penalty', providerName, warnings);
  if (request.presencePenalty !== undefined) unsupported('presence_penalty', providerName, warnings);
  if (request.seed !== undefined) unsupported('seed', providerName, warnings);
  if (request.logprobs === true) unsupported('logprobs', providerName, warnings);
  if (request.topLogprobs !== undefined) unsupported('top_logprobs', providerName, warnings);
  if (request.logitBias !== undefined) unsupported('logit_bias', providerName, warnings);

  const tools = convertToAnthropicTools(request, providerName, warnings);
  const format = request.responseFormat;
  if (format !== undefined && format.type !== 'text') {
    if (format.type === 'json-schema' && options.structuredOutputs === 'native') {
      body.output_config = { format: { type: 'json_schema', schema: format.schema } };
      if (format.description !== undefined) {
        warnings.push({ code: 'unsupported-parameter', param: 'response_format.json_schema.description', message: 'Anthropic structured outputs take no schema description; it was not sent' });
      }
    } else {
      // A forced tool whose input is the answer (json mode has no native Anthropic form).
      const name = structuredOutputToolName(format.type === 'json-schema' ? format.name : undefined);
      const schema = format.type === 'json-schema' ? format.schema : { type: 'object', additionalProperties: true };
      const tool: Json = { name, description: format.type === 'json-schema' && format.description ? format.description : 'Respond with the answer as the input of this tool.', input_schema: schema };
      tools.tools = [...(tools.tools ?? []), tool];
      const others = tools.tools.length > 1;
      tools.toolChoice = thinking ? { type: 'auto' } : others ? { type: 'any' } : { type: 'tool', name };
      rememberStructuredOutputTool(context, name);
      warnings.push({
        code: 'emulated',
        param: 'response_format',
        message: `${format.type === 'json' ? 'JSON mode' : 'structured output'} was emulated on ${providerName} with a forced tool "${name}"${thinking ? ' (not forced: thinking is on)' : ''}`,
      });
    }
  }
  if (tools.tools !== undefined) body.tools = tools.tools;
  if (tools.toolChoice !== undefined) body.tool_choice = tools.toolChoice;

  mergeOwnFields(body, own);
  warnForeignProviderOptions(request.providerOptions, ['anthropic'], providerName, warnings);

  const betas = new Set(state.betas);
  if (Array.isArray(own.betas)) for (const beta of own.betas) if (typeof beta === 'string') betas.add(beta);
  return { body, betas: [...betas] };
}
