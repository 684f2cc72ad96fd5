import type { FinishReason } from '../../core/index.js';

const OPENAI_REASONS = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/** Canonical finish reason → OpenAI finish_reason (the provider's own value when it is one). */
export function mapFinishReasonToOpenAi(reason: FinishReason): string {
  if (reason.raw !== undefined && OPENAI_REASONS.has(reason.raw)) return reason.raw;
  switch (reason.unified) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
