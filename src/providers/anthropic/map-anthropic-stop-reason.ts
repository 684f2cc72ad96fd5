import type { FinishReason } from '../../core/index.js';

/**
 * Anthropic `stop_reason` → unified finish reason.
 * https://docs.anthropic.com/en/api/messages (stop_reason): end_turn, max_tokens,
 * stop_sequence, tool_use, pause_turn (a server-tool loop paused; the client re-sends to
 * continue), refusal (streaming classifiers stopped the answer), model_context_window_exceeded.
 */
export function mapAnthropicStopReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: 'other' };
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { unified: 'length', raw };
    case 'tool_use':
      return { unified: 'tool-calls', raw };
    case 'pause_turn':
      return { unified: 'pause', raw };
    case 'refusal':
      return { unified: 'content-filter', raw };
    default:
      return { unified: 'other', raw };
  }
}
