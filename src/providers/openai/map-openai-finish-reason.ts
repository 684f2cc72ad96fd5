import type { FinishReason } from '../../core/index.js';

/**
 * OpenAI chat finish_reason → unified.
 * https://platform.openai.com/docs/api-reference/chat/object (choices[].finish_reason);
 * vendors add "model_length" (Mistral), "error", "eos".
 */
export function mapOpenAiFinishReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: 'other' };
  switch (raw) {
    case 'stop':
    case 'eos':
    case 'end_turn':
      return { unified: 'stop', raw };
    case 'length':
    case 'model_length':
      return { unified: 'length', raw };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool-calls', raw };
    case 'content_filter':
      return { unified: 'content-filter', raw };
    case 'error':
      return { unified: 'error', raw };
    default:
      return { unified: 'other', raw };
  }
}
