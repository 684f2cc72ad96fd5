import type { AssistantContentPart, ChatChoice, ChatResponse, TextPart } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import { convertGeminiCitations } from './convert-gemini-citations.js';
import { convertGeminiLogprobs } from './convert-gemini-logprobs.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import type { GeminiPart } from './gemini-wire.js';
import { mapGeminiBlockReason, mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { encodeToolCallId, newToolCallId } from './thought-signature-tool-call-id.js';

type Json = Record<string, unknown>;

export interface GeminiDecodeOptions {
  provider: string;
  /** Call ids for function calls (the Gemini API sends none). Tests pass a deterministic one. */
  generateId?: () => string;
}

const CANDIDATE_FIELDS = new Set(['content', 'finishReason', 'index', 'logprobsResult']);
const RESPONSE_FIELDS = new Set(['candidates', 'usageMetadata', 'modelVersion', 'responseId', 'createTime']);

function extras(source: Json, known: Set<string>): Json | undefined {
  let out: Json | undefined;
  for (const key in source) if (!known.has(key)) (out ??= {})[key] = source[key];
  return out;
}

/** RFC 3339 (Vertex createTime) → unix seconds. */
export function createdFromTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * One Gemini part → canonical parts. A signature on a non-thought part becomes an empty
 * reasoning part carrying it, placed right before the part it belongs to, so that surfaces
 * that know only reasoning signatures (OpenAI thinking_blocks, Anthropic thinking) keep it and
 * the request converter puts it back on the same part next turn.
 */
export function decodeGeminiPart(part: GeminiPart, generateId: () => string, out: AssistantContentPart[]): boolean {
  const signature = typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '' ? part.thoughtSignature : undefined;
  if (typeof part.text === 'string') {
    if (part.thought === true) {
      out.push({
        type: 'reasoning',
        text: part.text,
        ...(signature === undefined ? {} : { signature }),
        ...(part.text === '' ? { providerMetadata: { gemini: { thought: true } } } : {}),
      });
      return true;
    }
    if (signature !== undefined) out.push({ type: 'reasoning', text: '', signature });
    if (part.text !== '') out.push({ type: 'text', text: part.text });
    return true;
  }
  if (isRecord(part.functionCall)) {
    const call = part.functionCall;
    const baseId = typeof call.id === 'string' && call.id !== '' ? call.id : generateId();
    out.push({
      type: 'tool-call',
      id: encodeToolCallId(baseId, signature),
      name: typeof call.name === 'string' ? call.name : '',
      arguments: JSON.stringify(isRecord(call.args) ? call.args : {}),
      ...(signature === undefined ? {} : { providerMetadata: { gemini: { thoughtSignature: signature } } }),
    });
    return true;
  }
  const inline = isRecord(part.inlineData) ? part.inlineData : undefined;
  if (inline !== undefined && typeof inline.data === 'string' && typeof inline.mimeType === 'string') {
    const kind = inline.mimeType.startsWith('image/') ? 'image' : inline.mimeType.startsWith('audio/') ? 'audio' : undefined;
    if (kind === undefined) return false;
    if (signature !== undefined) out.push({ type: 'reasoning', text: '', signature });
    out.push({ type: kind, source: { kind: 'base64', mediaType: inline.mimeType, data: inline.data } });
    return true;
  }
  return false;
}

function decodeCandidate(candidate: Json, position: number, generateId: () => string): ChatChoice {
  const contentObject = isRecord(candidate.content) ? candidate.content : {};
  const parts = Array.isArray(contentObject.parts) ? contentObject.parts : [];
  const content: AssistantContentPart[] = [];
  const otherParts: Array<{ position: number; part: unknown }> = [];
  parts.forEach((part, index) => {
    if (!isRecord(part) || !decodeGeminiPart(part as GeminiPart, generateId, content)) otherParts.push({ position: index, part });
  });
  const citations = convertGeminiCitations(candidate);
  if (citations !== undefined) {
    const lastText = content.findLast((part): part is TextPart => part.type === 'text');
    if (lastText !== undefined) lastText.citations = citations;
  }
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  const choice: ChatChoice = {
    index: typeof candidate.index === 'number' ? candidate.index : position,
    content,
    finishReason: mapGeminiFinishReason(typeof candidate.finishReason === 'string' ? candidate.finishReason : undefined, hasToolCalls),
  };
  const logprobs = convertGeminiLogprobs(candidate.logprobsResult);
  if (logprobs !== undefined) choice.logprobs = logprobs;
  const metadata = extras(candidate, CANDIDATE_FIELDS) ?? {};
  if (otherParts.length > 0) metadata.otherParts = otherParts;
  if (Object.keys(metadata).length > 0) choice.providerMetadata = { gemini: metadata };
  return choice;
}

/**
 * A GenerateContentResponse → canonical response: candidates become choices, thought parts
 * reasoning, function calls tool calls (with generated ids that carry the thought signature),
 * usageMetadata usage. A prompt blocked before generation (promptFeedback.blockReason, no
 * candidates) is one empty choice finished by content-filter. Safety ratings, finish messages
 * and grounding data stay in providerMetadata.gemini.
 */
export function decodeGeminiResponse(body: unknown, options: GeminiDecodeOptions): ChatResponse {
  if (!isRecord(body)) {
    throw new GatewayError({
      code: 'upstream_bad_response',
      status: 502,
      retryable: true,
      message: `Provider "${options.provider}" returned a generateContent answer that is not an object`,
      upstream: { provider: options.provider, body: JSON.stringify(body).slice(0, 2048) },
    });
  }
  const generateId = options.generateId ?? newToolCallId;
  const candidates = Array.isArray(body.candidates) ? body.candidates.filter(isRecord) : [];
  const choices = candidates.map((candidate, position) => decodeCandidate(candidate, position, generateId));
  if (choices.length === 0) {
    const feedback = isRecord(body.promptFeedback) ? body.promptFeedback : undefined;
    const blockReason = typeof feedback?.blockReason === 'string' ? feedback.blockReason : undefined;
    choices.push({ index: 0, content: [], finishReason: blockReason === undefined ? { unified: 'other' } : mapGeminiBlockReason(blockReason) });
  }
  const response: ChatResponse = {
    id: typeof body.responseId === 'string' ? body.responseId : '',
    model: typeof body.modelVersion === 'string' ? body.modelVersion : '',
    choices,
  };
  const created = createdFromTime(body.createTime);
  if (created !== undefined) response.created = created;
  const usage = convertGeminiUsage(body.usageMetadata);
  if (usage !== undefined) response.usage = usage;
  const metadata = extras(body, RESPONSE_FIELDS);
  if (metadata !== undefined) response.providerMetadata = { gemini: metadata };
  return response;
}
