import type { FinishReason } from '../../core/index.js';
import { mapAnthropicStopReason } from '../../providers/anthropic/map-anthropic-stop-reason.js';

/**
 * Canonical finish reason → Anthropic stop_reason. The provider's own value is kept when it is
 * an Anthropic reason that still means the same (a stop the gateway reinterpreted, such as an
 * emulated structured-output tool call, is re-derived from the unified value).
 */
export function mapFinishReasonToAnthropic(reason: FinishReason | undefined): string {
  if (reason === undefined) return 'end_turn';
  if (reason.raw !== undefined) {
    const mapped = mapAnthropicStopReason(reason.raw);
    if (mapped.unified === reason.unified && mapped.unified !== 'other') return reason.raw;
  }
  switch (reason.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    case 'pause':
      return 'pause_turn';
    default:
      return 'end_turn';
  }
}
