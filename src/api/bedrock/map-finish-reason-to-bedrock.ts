import type { FinishReason } from '../../core/index.js';

/** Converse stop reasons; a raw reason in this set (from Bedrock, or Anthropic's same names) is kept. */
const BEDROCK_STOP_REASONS = new Set([
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'guardrail_intervened',
  'content_filtered',
  'malformed_model_output',
  'malformed_tool_use',
  'model_context_window_exceeded',
]);

/** Canonical finish reason → a Converse `stopReason`. */
export function mapFinishReasonToBedrock(reason: FinishReason | undefined): string {
  if (reason === undefined) return 'end_turn';
  if (reason.raw !== undefined && BEDROCK_STOP_REASONS.has(reason.raw)) return reason.raw;
  switch (reason.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'content_filtered';
    default:
      return 'end_turn';
  }
}
