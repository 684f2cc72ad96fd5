import type { FinishReason } from '../../core/index.js';

const COHERE_REASONS = new Set(['COMPLETE', 'STOP_SEQUENCE', 'MAX_TOKENS', 'TOOL_CALL', 'ERROR', 'TIMEOUT']);

/**
 * Unified finish reason → Cohere's. A Cohere provider's own value is kept; a stop on a stop
 * sequence (Anthropic `stop_sequence`) is STOP_SEQUENCE. Cohere has no content-filter reason:
 * a filtered answer is reported as ERROR; a paused turn (Anthropic pause_turn) as MAX_TOKENS,
 * since the client must continue it.
 */
export function mapFinishReasonToCohere(reason: FinishReason | undefined): string {
  if (reason === undefined) return 'COMPLETE';
  if (reason.raw !== undefined && COHERE_REASONS.has(reason.raw)) return reason.raw;
  switch (reason.unified) {
    case 'stop':
      return reason.raw === 'stop_sequence' ? 'STOP_SEQUENCE' : 'COMPLETE';
    case 'length':
    case 'pause':
      return 'MAX_TOKENS';
    case 'tool-calls':
      return 'TOOL_CALL';
    case 'content-filter':
    case 'error':
      return 'ERROR';
    default:
      return 'COMPLETE';
  }
}
