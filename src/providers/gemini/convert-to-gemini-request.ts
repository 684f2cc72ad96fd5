import type { ChatRequest, Message, Tool, ToolChoice, Warning } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { warnForeignProviderOptions } from '../shared/foreign-provider-options.js';
import { convertToGeminiContents, type ContentsOptions } from './convert-to-gemini-contents.js';
import { GEMINI_FAMILY } from './gemini-wire.js';
import { mapReasoningToGeminiThinking } from './map-reasoning-to-gemini-thinking.js';

type Json = Record<string, unknown>;

const FAMILIES = [GEMINI_FAMILY];

function unsupported(param: string, providerName: string, warnings: Warning[], detail = ''): void {
  warnings.push({ code: 'unsupported-parameter', param, message: `${param} is not supported by ${providerName}${detail} and was not sent` });
}

function convertTools(tools: Tool[], providerName: string, warnings: Warning[]): Json[] {
  const declarations: Json[] = [];
  const builtIn: Json[] = [];
  for (const tool of tools) {
    if (tool.type === 'function') {
      const own = tool.providerOptions?.gemini;
      const declaration: Json = { name: tool.name };
      if (tool.description !== undefined) declaration.description = tool.description;
      // A Gemini-dialect client's own OpenAPI-style `parameters` win over the JSON Schema form.
      if (own?.parameters === undefined) declaration.parametersJsonSchema = tool.parameters;
      declarations.push(own === undefined ? declaration : { ...declaration, ...own });
    } else if (tool.provider === GEMINI_FAMILY) {
      builtIn.push(tool.spec);
    } else {
      warnings.push({
        code: 'unsupported-parameter',
        param: 'tools',
        message: `the ${tool.provider} tool "${tool.name}" is not available on ${providerName} and was not sent`,
      });
    }
  }
  return declarations.length > 0 ? [{ functionDeclarations: declarations }, ...builtIn] : builtIn;
}

function convertToolChoice(choice: ToolChoice): Json {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

function usesCacheControl(messages: Message[], tools: Tool[] | undefined): boolean {
  for (const message of messages) for (const part of message.content) if (part.cacheControl !== undefined) return true;
  return tools?.some((tool) => tool.type === 'function' && tool.cacheControl !== undefined) ?? false;
}

/** Merge the client's own Gemini fields: generationConfig/toolConfig deep, tools appended, the rest set. */
function mergeOwnOptions(body: Json, generation: Json, own: Json): void {
  for (const [key, value] of Object.entries(own)) {
    if (key === 'generationConfig' && isRecord(value)) {
      for (const [field, setting] of Object.entries(value)) {
        generation[field] = field === 'thinkingConfig' && isRecord(setting) && isRecord(generation.thinkingConfig)
          ? { ...generation.thinkingConfig, ...setting }
          : setting;
      }
    } else if (key === 'toolConfig' && isRecord(value) && isRecord(body.toolConfig)) {
      body.toolConfig = { ...body.toolConfig, ...value };
    } else if (key === 'tools' && Array.isArray(value)) {
      body.tools = [...((body.tools as Json[] | undefined) ?? []), ...value];
    } else {
      body[key] = value;
    }
  }
}

/**
 * Canonical request → Gemini GenerateContentRequest body (the same body serves
 * generateContent, streamGenerateContent and Vertex AI). Parameters Gemini cannot honour are
 * reported as warnings; the client's own Gemini fields (providerOptions.gemini, e.g.
 * safetySettings, cachedContent, labels, generationConfig.responseModalities) are merged last.
 */
export function convertToGeminiRequest(request: ChatRequest, options: ContentsOptions, warnings: Warning[]): Json {
  const name = options.providerName;
  const { systemInstruction, contents } = convertToGeminiContents(request.messages, options, warnings);
  const body: Json = {};
  if (systemInstruction !== undefined) body.systemInstruction = systemInstruction;
  body.contents = contents;
  const generation: Json = {};
  const set = (field: string, value: unknown): void => {
    if (value !== undefined) generation[field] = value;
  };
  set('maxOutputTokens', request.maxOutputTokens);
  set('temperature', request.temperature);
  set('topP', request.topP);
  set('topK', request.topK);
  set('presencePenalty', request.presencePenalty);
  set('frequencyPenalty', request.frequencyPenalty);
  set('seed', request.seed);
  set('stopSequences', request.stopSequences);
  set('candidateCount', request.n === 1 ? undefined : request.n);
  if (request.logprobs === true) generation.responseLogprobs = true;
  if (request.topLogprobs !== undefined) {
    generation.responseLogprobs = true;
    generation.logprobs = request.topLogprobs;
  }
  if (request.logitBias !== undefined) unsupported('logit_bias', name, warnings);
  if (request.user !== undefined) unsupported('user', name, warnings);
  if (request.serviceTier !== undefined) unsupported('service_tier', name, warnings);
  if (request.parallelToolCalls === false) unsupported('parallel_tool_calls', name, warnings, ' (Gemini decides how many calls to make)');

  if (request.tools !== undefined && request.tools.length > 0) {
    const tools = convertTools(request.tools, name, warnings);
    if (tools.length > 0) body.tools = tools;
  }
  if (request.toolChoice !== undefined) body.toolConfig = { functionCallingConfig: convertToolChoice(request.toolChoice) };

  const own = request.providerOptions?.gemini;
  const format = request.responseFormat;
  if (format !== undefined && format.type !== 'text') {
    generation.responseMimeType = 'application/json';
    const ownGeneration = isRecord(own?.generationConfig) ? own.generationConfig : undefined;
    if (format.type === 'json-schema' && ownGeneration?.responseSchema === undefined) generation.responseJsonSchema = format.schema;
  }
  if (request.reasoning !== undefined) {
    const thinking = mapReasoningToGeminiThinking(request.reasoning, options.model, warnings);
    if (thinking !== undefined) generation.thinkingConfig = thinking;
  }
  if (usesCacheControl(request.messages, request.tools)) {
    warnings.push({
      code: 'unsupported-parameter',
      param: 'cache_control',
      message: `${name} caches prompt prefixes by itself (implicit caching) and takes no cache breakpoints; they were not sent`,
    });
  }
  if (own !== undefined) mergeOwnOptions(body, generation, own);
  if (Object.keys(generation).length > 0) body.generationConfig = generation;
  warnForeignProviderOptions(request.providerOptions, FAMILIES, name, warnings);
  return body;
}
