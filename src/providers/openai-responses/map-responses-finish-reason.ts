import type { FinishReason } from '../../core/index.js';

/**
 * Responses `status` and `incomplete_details.reason` → unified finish reason. The Responses API
 * has no finish reason of its own: a completed response that called tools finished for
 * tool calls, an incomplete one names why it stopped.
 * https://platform.openai.com/docs/api-reference/responses/object (status, incomplete_details)
 */
export function mapResponsesFinishReason(status: unknown, incompleteReason: unknown, calledTools: boolean): FinishReason {
  if (status === 'incomplete') {
    const raw = typeof incompleteReason === 'string' ? incompleteReason : 'incomplete';
    if (raw === 'max_output_tokens') return { unified: 'length', raw };
    if (raw === 'content_filter') return { unified: 'content-filter', raw };
    return { unified: 'other', raw };
  }
  if (status === 'completed' || status === undefined) return { unified: calledTools ? 'tool-calls' : 'stop', raw: 'completed' };
  if (status === 'failed') return { unified: 'error', raw: 'failed' };
  return { unified: 'other', raw: String(status) };
}
