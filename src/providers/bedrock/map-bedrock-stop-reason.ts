import type { FinishReason, UnifiedFinishReason } from '../../core/index.js';

/**
 * Converse `stopReason` → unified finish reason, keeping the raw value
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax).
 * A context-window overflow is a length stop; malformed model output is an error.
 */
const UNIFIED: Record<string, UnifiedFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool-calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
  malformed_model_output: 'error',
  malformed_tool_use: 'error',
};

export function mapBedrockStopReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: 'other' };
  return { unified: UNIFIED[raw] ?? 'other', raw };
}
