import type { ReasoningOptions, Warning } from '../../core/index.js';

type Json = Record<string, unknown>;

/**
 * Thinking budgets for reasoning efforts (OpenAI `reasoning_effort`, Gemini thinking levels).
 * Anthropic's smallest budget is 1024 tokens, so "minimal" and "low" both get it; the other
 * levels mirror the OpenAI adapter's budget → effort buckets (≤1024 low, ≤8192 medium, more
 * high), so a round trip keeps the level. Every such mapping is reported as lossy.
 */
export const EFFORT_BUDGETS: Record<Exclude<NonNullable<ReasoningOptions['effort']>, 'none'>, number> = {
  minimal: 1024,
  low: 1024,
  medium: 8192,
  high: 24_576,
  xhigh: 32_768,
};

/** Used when thinking is switched on without a budget or an effort. */
export const DEFAULT_THINKING_BUDGET = 8192;
export const MIN_THINKING_BUDGET = 1024;

export interface ThinkingResult {
  /** The `thinking` parameter, when one is sent. */
  thinking?: Json;
  /** Thinking is on (sampling parameters it forbids must not be sent). */
  enabled: boolean;
}

/**
 * Canonical reasoning options → Anthropic `thinking`. `budget_tokens` must be at least 1024 and
 * below `max_tokens` (which counts thinking too): a budget that does not fit is lowered to
 * three quarters of max_tokens, or thinking is left off when even 1024 does not fit — each with
 * a warning. `nativeEffort` means the client sent Anthropic's own output_config.effort, which
 * then stands instead of a budget.
 */
export function convertReasoningToThinking(
  reasoning: ReasoningOptions | undefined,
  maxTokens: number,
  nativeEffort: boolean,
  warnings: Warning[],
): ThinkingResult {
  if (reasoning === undefined) return { enabled: false };
  const { effort } = reasoning;
  let budget = reasoning.budgetTokens;
  if (budget === undefined && (reasoning.enabled === false || effort === 'none')) {
    return { thinking: { type: 'disabled' }, enabled: false };
  }
  if (budget === undefined && effort !== undefined && effort !== 'none') {
    if (nativeEffort) return { enabled: false };
    budget = EFFORT_BUDGETS[effort];
    warnings.push({
      code: 'lossy-conversion',
      param: 'reasoning_effort',
      message: `reasoning effort "${effort}" was sent as an Anthropic thinking budget of ${budget} tokens`,
    });
  }
  if (budget === undefined) {
    if (reasoning.enabled !== true) return { enabled: false };
    budget = DEFAULT_THINKING_BUDGET;
    warnings.push({
      code: 'lossy-conversion',
      param: 'thinking',
      message: `thinking was enabled without a budget; sent the default budget_tokens of ${budget}`,
    });
  }
  if (budget < MIN_THINKING_BUDGET) {
    warnings.push({
      code: 'lossy-conversion',
      param: 'thinking.budget_tokens',
      message: `Anthropic thinking budgets start at ${MIN_THINKING_BUDGET} tokens; ${budget} was raised to ${MIN_THINKING_BUDGET}`,
    });
    budget = MIN_THINKING_BUDGET;
  }
  if (budget >= maxTokens) {
    const lowered = Math.floor(maxTokens * 0.75);
    if (lowered < MIN_THINKING_BUDGET) {
      warnings.push({
        code: 'unsupported-parameter',
        param: 'thinking',
        message: `a thinking budget needs max_tokens above ${MIN_THINKING_BUDGET}; with max_tokens ${maxTokens} thinking was not enabled`,
      });
      return { enabled: false };
    }
    warnings.push({
      code: 'lossy-conversion',
      param: 'thinking.budget_tokens',
      message: `the thinking budget of ${budget} tokens must be below max_tokens (${maxTokens}); sent ${lowered}`,
    });
    budget = lowered;
  }
  return { thinking: { type: 'enabled', budget_tokens: budget }, enabled: true };
}
