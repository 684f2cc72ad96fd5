import type { ChatRequest, ReasoningOptions, ResponseFormat, Tool, ToolChoice } from '../../core/index.js';
import { invalidRequest } from '../../core/index.js';
import {
  optBoolean,
  optInteger,
  optNumber,
  optString,
  optStringList,
  readArray,
  readObject,
  readString,
} from '../../json/request-reader.js';
import type { DecodedChatRequest, SurfaceRequestInfo } from '../surface.js';
import { convertGeminiSchema } from './convert-gemini-schema.js';
import { decodeGenAiContents, decodeSystemInstruction } from './decode-genai-contents.js';
import { camelFields, objectField } from './read-gemini-fields.js';

type Json = Record<string, unknown>;

const KNOWN_FIELDS = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'model', 'fallbacks']);
const GENERATION_FIELDS = new Set([
  'temperature',
  'topP',
  'topK',
  'candidateCount',
  'maxOutputTokens',
  'stopSequences',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseLogprobs',
  'logprobs',
  'thinkingConfig',
  'responseMimeType',
  'responseJsonSchema',
  'responseSchema',
]);
const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

/** The model from the URL: "gemini-2.5-flash", "openai/gpt-4o" (URL-decoded), without a "models/" prefix. */
export function modelFromPath(info: SurfaceRequestInfo): string {
  const raw = info.params.model ?? '';
  const model = raw.startsWith('models/') ? raw.slice(7) : raw;
  if (model === '') throw invalidRequest('The URL names no model.', 'model');
  return model;
}

function decodeTools(value: unknown): Tool[] {
  const tools: Tool[] = [];
  readArray(value, 'tools').forEach((item, index) => {
    const tool = camelFields(readObject(item, `tools[${index}]`));
    for (const [key, spec] of Object.entries(tool)) {
      if (key !== 'functionDeclarations') {
        tools.push({ type: 'provider', provider: 'gemini', name: key, spec: { [key]: spec } });
        continue;
      }
      readArray(spec, `tools[${index}].functionDeclarations`).forEach((entry, position) => {
        const path = `tools[${index}].functionDeclarations[${position}]`;
        const declaration = camelFields(readObject(entry, path));
        const name = readString(declaration.name, `${path}.name`);
        const description = optString(declaration.description, `${path}.description`);
        const own: Json = {};
        let parameters: Json = { type: 'object', properties: {} };
        if (declaration.parametersJsonSchema !== undefined && declaration.parametersJsonSchema !== null) {
          parameters = readObject(declaration.parametersJsonSchema, `${path}.parametersJsonSchema`);
        } else if (declaration.parameters !== undefined && declaration.parameters !== null) {
          // Gemini providers get the client's OpenAPI-style schema as it was; others a JSON Schema.
          own.parameters = readObject(declaration.parameters, `${path}.parameters`);
          parameters = convertGeminiSchema(own.parameters);
        }
        for (const [field, setting] of Object.entries(declaration)) {
          if (!['name', 'description', 'parameters', 'parametersJsonSchema'].includes(field)) own[field] = setting;
        }
        tools.push({
          type: 'function',
          name,
          parameters,
          ...(description === undefined ? {} : { description }),
          ...(Object.keys(own).length === 0 ? {} : { providerOptions: { gemini: own } }),
        });
      });
    }
  });
  return tools;
}

/** functionCallingConfig → tool choice; what the canonical form cannot say stays for Gemini providers. */
function decodeToolConfig(value: unknown, extra: Json): ToolChoice | undefined {
  const config = camelFields(readObject(value, 'toolConfig'));
  const calling = objectField(config.functionCallingConfig);
  let choice: ToolChoice | undefined;
  let exact = true;
  if (calling !== undefined) {
    const mode = optString(calling.mode, 'toolConfig.functionCallingConfig.mode')?.toUpperCase();
    const allowed = optStringList(calling.allowedFunctionNames, 'toolConfig.functionCallingConfig.allowedFunctionNames');
    if (mode === 'NONE') choice = { type: 'none' };
    else if (mode === 'ANY' && allowed?.length === 1) choice = { type: 'tool', name: allowed[0]! };
    else if (mode === 'ANY') {
      choice = { type: 'required' };
      exact = allowed === undefined || allowed.length === 0;
    } else if (mode === 'AUTO' || mode === undefined || mode === 'MODE_UNSPECIFIED') choice = { type: 'auto' };
    else {
      choice = { type: 'auto' };
      exact = false;
    }
    if (Object.keys(calling).some((key) => key !== 'mode' && key !== 'allowedFunctionNames')) exact = false;
  }
  if (!exact || Object.keys(config).some((key) => key !== 'functionCallingConfig')) extra.toolConfig = value;
  return choice;
}

function decodeThinking(value: unknown): ReasoningOptions | undefined {
  const thinking = camelFields(readObject(value, 'generationConfig.thinkingConfig'));
  const options: ReasoningOptions = {};
  const budget = optInteger(thinking.thinkingBudget, 'generationConfig.thinkingConfig.thinkingBudget');
  if (budget === 0) options.enabled = false;
  else if (budget === -1) options.enabled = true;
  else if (budget !== undefined) options.budgetTokens = budget;
  const level = optString(thinking.thinkingLevel, 'generationConfig.thinkingConfig.thinkingLevel')?.toLowerCase();
  if (level !== undefined && EFFORTS.has(level)) options.effort = level as ReasoningOptions['effort'];
  const include = optBoolean(thinking.includeThoughts, 'generationConfig.thinkingConfig.includeThoughts');
  if (include !== undefined) options.includeThoughts = include;
  return Object.keys(options).length === 0 ? undefined : options;
}

function decodeResponseFormat(generation: Json, ownGeneration: Json): ResponseFormat | undefined {
  const mime = optString(generation.responseMimeType, 'generationConfig.responseMimeType');
  if (mime !== undefined && mime !== 'application/json' && mime !== 'text/plain') {
    // text/x.enum (with its schema) and other types have no canonical form: kept for Gemini.
    ownGeneration.responseMimeType = mime;
    for (const field of ['responseSchema', 'responseJsonSchema']) if (generation[field] !== undefined) ownGeneration[field] = generation[field];
    return undefined;
  }
  if (generation.responseJsonSchema !== undefined && generation.responseJsonSchema !== null) {
    return { type: 'json-schema', name: 'response', schema: readObject(generation.responseJsonSchema, 'generationConfig.responseJsonSchema') };
  }
  if (generation.responseSchema !== undefined && generation.responseSchema !== null) {
    ownGeneration.responseSchema = readObject(generation.responseSchema, 'generationConfig.responseSchema');
    return { type: 'json-schema', name: 'response', schema: convertGeminiSchema(ownGeneration.responseSchema) };
  }
  return mime === 'application/json' ? { type: 'json' } : undefined;
}

function decodeGeneration(value: unknown, request: ChatRequest, extra: Json): void {
  const generation = camelFields(readObject(value, 'generationConfig'));
  const own: Json = {};
  for (const [key, setting] of Object.entries(generation)) if (!GENERATION_FIELDS.has(key)) own[key] = setting;
  const number = (field: string): number | undefined => optNumber(generation[field], `generationConfig.${field}`);
  const set = <K extends keyof ChatRequest>(key: K, setting: ChatRequest[K] | undefined): void => {
    if (setting !== undefined) request[key] = setting;
  };
  set('temperature', number('temperature'));
  set('topP', number('topP'));
  set('topK', optInteger(generation.topK, 'generationConfig.topK', 0));
  set('n', optInteger(generation.candidateCount, 'generationConfig.candidateCount', 1));
  set('maxOutputTokens', optInteger(generation.maxOutputTokens, 'generationConfig.maxOutputTokens', 1));
  set('stopSequences', optStringList(generation.stopSequences, 'generationConfig.stopSequences'));
  set('seed', optInteger(generation.seed, 'generationConfig.seed'));
  set('presencePenalty', number('presencePenalty'));
  set('frequencyPenalty', number('frequencyPenalty'));
  set('logprobs', optBoolean(generation.responseLogprobs, 'generationConfig.responseLogprobs'));
  set('topLogprobs', optInteger(generation.logprobs, 'generationConfig.logprobs', 0));
  if (generation.thinkingConfig !== undefined && generation.thinkingConfig !== null) set('reasoning', decodeThinking(generation.thinkingConfig));
  set('responseFormat', decodeResponseFormat(generation, own));
  if (Object.keys(own).length > 0) extra.generationConfig = own;
}

/**
 * A GenAI GenerateContentRequest (model and method from the URL) → canonical request. Fields
 * without a canonical slot (safetySettings, cachedContent, labels, generationConfig extras such
 * as responseModalities or speechConfig) are kept in providerOptions.gemini: Gemini providers
 * send them on, other providers report them as warnings.
 */
export function decodeGenAiChatRequest(value: unknown, info: SurfaceRequestInfo, stream: boolean): DecodedChatRequest {
  const body = camelFields(readObject(value, 'body'));
  const model = modelFromPath(info);
  const messages = decodeGenAiContents(body.contents);
  const system = decodeSystemInstruction(body.systemInstruction);
  if (system !== undefined) messages.unshift(system);
  const request: ChatRequest = { model, messages, stream, includeUsage: true };
  const extra: Json = {};
  for (const [key, setting] of Object.entries(body)) if (!KNOWN_FIELDS.has(key)) extra[key] = setting;
  if (body.tools !== undefined && body.tools !== null) {
    const tools = decodeTools(body.tools);
    if (tools.length > 0) request.tools = tools;
  }
  if (body.toolConfig !== undefined && body.toolConfig !== null) {
    const choice = decodeToolConfig(body.toolConfig, extra);
    if (choice !== undefined) request.toolChoice = choice;
  }
  if (body.generationConfig !== undefined && body.generationConfig !== null) decodeGeneration(body.generationConfig, request, extra);
  if (Object.keys(extra).length > 0) request.providerOptions = { gemini: extra };
  const decoded: DecodedChatRequest = { request, directives: {}, gatewayFields: [] };
  if (body.fallbacks !== undefined && body.fallbacks !== null) {
    decoded.directives.fallbacks = readArray(body.fallbacks, 'fallbacks').map((item, index) => readString(item, `fallbacks[${index}]`));
    decoded.gatewayFields = ['fallbacks'];
  }
  return decoded;
}
