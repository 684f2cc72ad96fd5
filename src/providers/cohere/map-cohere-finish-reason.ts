import type { FinishReason } from '../../core/index.js';

/**
 * Cohere v2 finish_reason → unified.
 * https://docs.cohere.com/reference/chat (response.finish_reason): COMPLETE, STOP_SEQUENCE,
 * MAX_TOKENS, TOOL_CALL, ERROR, TIMEOUT.
 */
export function mapCohereFinishReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: 'other' };
  switch (raw) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return { unified: 'stop', raw };
    case 'MAX_TOKENS':
      return { unified: 'length', raw };
    case 'TOOL_CALL':
      return { unified: 'tool-calls', raw };
    case 'ERROR':
    case 'TIMEOUT':
      return { unified: 'error', raw };
    default:
      return { unified: 'other', raw };
  }
}
