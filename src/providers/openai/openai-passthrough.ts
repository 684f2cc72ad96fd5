import type { Usage } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { convertOpenAiUsage } from './convert-openai-usage.js';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;

/** Usage from a complete OpenAI-dialect body (chat, completions, embeddings). */
export function readOpenAiBodyUsage(body: unknown): Usage | undefined {
  if (!isRecord(body)) return undefined;
  return convertOpenAiUsage(body.usage ?? (isRecord(body.x_groq) ? body.x_groq.usage : undefined));
}

/**
 * Usage from one stream event's data. Only events that carry a usage object are parsed, so the
 * side parser costs a substring test per event.
 */
export function readOpenAiStreamUsage(data: string): Usage | undefined {
  if (!USAGE_OBJECT.test(data)) return undefined;
  return readOpenAiBodyUsage(tryParseJson(data));
}

/** The final usage-only chunk OpenAI sends for stream_options.include_usage (empty choices). */
export function isUsageOnlyChunk(data: string): boolean {
  return data.includes('"choices":[]') && USAGE_OBJECT.test(data);
}

/** A non-empty content, reasoning, refusal or completion text, or any tool call / finish reason. */
const CONTENT_FIELD = /"(?:content|reasoning_content|reasoning|refusal|text)"\s*:\s*"[^"]|"tool_calls"\s*:|"function_call"\s*:|"finish_reason"\s*:\s*"/;

/**
 * Whether a chat/completions chunk carries content, as opposed to the opening role-only chunk
 * (`"delta":{"role":"assistant","content":""}`) or a usage-only one. A substring test, no parse.
 */
export function isOpenAiContentChunk(data: string): boolean {
  return CONTENT_FIELD.test(data);
}
