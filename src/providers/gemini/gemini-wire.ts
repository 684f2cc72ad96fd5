/*
 * The parts of the Gemini API wire format (generativelanguage v1beta and Vertex AI v1) that the
 * adapter reads or writes. Minimal and tolerant on purpose: fields not listed here are passed
 * through untouched, and every field is optional because the API omits what it likes
 * (`content: {}` on SAFETY, no `parts` on MAX_TOKENS, no `index` on single candidates).
 * Reference: https://ai.google.dev/api/generate-content
 */

type Json = Record<string, unknown>;

export interface GeminiFunctionCall extends Json {
  name?: string;
  /** An object (never a JSON string). */
  args?: Json;
  /** Set by Vertex and the Live API only; the Gemini API sends calls without ids. */
  id?: string;
  /** Vertex streamFunctionCallArguments: argument fragments by JSON path. */
  partialArgs?: GeminiPartialArg[];
  /** Vertex: more fragments of this call follow. */
  willContinue?: boolean;
}

export interface GeminiPartialArg extends Json {
  jsonPath?: string;
  stringValue?: string;
  numberValue?: number;
  boolValue?: boolean;
  nullValue?: unknown;
  willContinue?: boolean;
}

export interface GeminiPart extends Json {
  text?: string;
  /** The text is a thought summary. */
  thought?: boolean;
  /** Opaque signature of the model's reasoning; must come back on the same part next turn. */
  thoughtSignature?: string;
  inlineData?: { mimeType?: string; data?: string };
  fileData?: { mimeType?: string; fileUri?: string };
  functionCall?: GeminiFunctionCall;
  functionResponse?: { name?: string; id?: string; response?: Json; parts?: GeminiPart[] };
}

export interface GeminiContent extends Json {
  role?: string;
  parts?: GeminiPart[];
}

export interface GeminiCandidate extends Json {
  content?: GeminiContent;
  finishReason?: string;
  finishMessage?: string;
  index?: number;
  safetyRatings?: unknown[];
  citationMetadata?: { citationSources?: Json[] };
  groundingMetadata?: Json;
  avgLogprobs?: number;
  logprobsResult?: Json;
}

export interface GeminiUsageMetadata extends Json {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount?: number;
  promptTokensDetails?: Array<{ modality?: string; tokenCount?: number }>;
  candidatesTokensDetails?: Array<{ modality?: string; tokenCount?: number }>;
}

export interface GeminiResponse extends Json {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string; safetyRatings?: unknown[] };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  /** Vertex only: RFC 3339 timestamp. */
  createTime?: string;
}

/** The dialect family name used for providerOptions / providerMetadata. */
export const GEMINI_FAMILY = 'gemini';
