import type { FinishReason } from '../../core/index.js';

/**
 * Gemini finishReason → unified. https://ai.google.dev/api/generate-content#FinishReason
 * Gemini answers STOP even when the candidate is a function call, so the caller says whether
 * the candidate holds calls (then the unified reason is tool-calls; raw stays STOP).
 */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw === undefined) return { unified: hasToolCalls ? 'tool-calls' : 'other' };
  switch (raw) {
    case 'STOP':
      return { unified: hasToolCalls ? 'tool-calls' : 'stop', raw };
    case 'MAX_TOKENS':
      return { unified: 'length', raw };
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
    case 'LANGUAGE':
      return { unified: 'content-filter', raw };
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
    case 'TOO_MANY_TOOL_CALLS':
    case 'MISSING_THOUGHT_SIGNATURE':
      return { unified: 'error', raw };
    default:
      // FINISH_REASON_UNSPECIFIED, OTHER, NO_IMAGE, IMAGE_OTHER and future values.
      return { unified: 'other', raw };
  }
}

/** promptFeedback.blockReason (the prompt itself was refused) → unified. */
export function mapGeminiBlockReason(blockReason: string): FinishReason {
  return { unified: 'content-filter', raw: blockReason };
}
