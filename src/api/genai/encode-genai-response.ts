import type { ChatChoice, ChatResponse, ChoiceLogprobs, TextPart } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import type { StreamEncoderInfo } from '../surface.js';
import { citationSources, encodeGenAiParts } from './encode-genai-parts.js';
import { encodeGenAiUsage } from './encode-genai-usage.js';
import { mapFinishReasonToGemini } from './map-finish-reason-to-gemini.js';

type Json = Record<string, unknown>;

/** Canonical log probabilities → Gemini logprobsResult. */
export function encodeGenAiLogprobs(logprobs: ChoiceLogprobs): Json {
  const tokens = logprobs.content ?? [];
  return {
    chosenCandidates: tokens.map((token) => ({ token: token.token, logProbability: token.logprob })),
    topCandidates: tokens.map((token) => ({ candidates: (token.topLogprobs ?? []).map((top) => ({ token: top.token, logProbability: top.logprob })) })),
  };
}

function encodeCandidate(choice: ChatChoice): Json {
  const metadata = { ...choice.providerMetadata?.gemini };
  const otherParts = metadata.otherParts;
  delete metadata.otherParts;
  const parts = encodeGenAiParts(choice.content, otherParts);
  const candidate: Json = {
    // Gemini leaves `parts` out when there are none (MAX_TOKENS spent on thinking, SAFETY).
    content: parts.length === 0 ? { role: 'model' } : { parts, role: 'model' },
    finishReason: mapFinishReasonToGemini(choice.finishReason),
    index: choice.index,
  };
  if (metadata.citationMetadata === undefined) {
    const citations = choice.content.flatMap((part) => (part.type === 'text' ? ((part as TextPart).citations ?? []) : []));
    if (citations.length > 0) candidate.citationMetadata = { citationSources: citationSources(citations) };
  }
  if (choice.logprobs !== undefined) candidate.logprobsResult = encodeGenAiLogprobs(choice.logprobs);
  return { ...candidate, ...metadata };
}

/**
 * Canonical response → Gemini GenerateContentResponse. A prompt the provider blocked (no
 * content, promptFeedback in providerMetadata) is answered as Gemini does: promptFeedback and
 * no candidates.
 */
export function encodeGenAiResponse(response: ChatResponse, info: StreamEncoderInfo): string {
  const metadata = response.providerMetadata?.gemini ?? {};
  const blocked = isRecord(metadata.promptFeedback) && metadata.promptFeedback.blockReason !== undefined && response.choices.every((choice) => choice.content.length === 0);
  const body: Json = {};
  if (!blocked) body.candidates = response.choices.map(encodeCandidate);
  if (response.usage !== undefined) body.usageMetadata = encodeGenAiUsage(response.usage);
  body.modelVersion = response.model || info.model;
  body.responseId = response.id || info.requestId;
  return JSON.stringify({ ...body, ...metadata });
}
