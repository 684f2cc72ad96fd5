import type { ReasoningOptions, Warning } from '../../core/index.js';
import type { BedrockModelFamily } from './bedrock-model-id.js';

type Json = Record<string, unknown>;
type Effort = NonNullable<ReasoningOptions['effort']>;

/**
 * Thinking budgets for OpenAI-style effort levels on Claude (Anthropic's extended thinking needs
 * at least 1024 tokens). The same table is used in reverse for models that take an effort.
 */
export const BUDGET_FOR_EFFORT: Record<Exclude<Effort, 'none'>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
};

function effortForBudget(budget: number): 'low' | 'medium' | 'high' {
  return budget <= BUDGET_FOR_EFFORT.low ? 'low' : budget <= BUDGET_FOR_EFFORT.medium ? 'medium' : 'high';
}

export interface ReasoningFields {
  /** Fields for `additionalModelRequestFields`. */
  additional: Json;
  /** The thinking budget sent, when one was (to keep maxTokens above it). */
  budgetTokens?: number;
}

/**
 * Canonical reasoning options → the model family's own request fields, which Converse carries
 * in `additionalModelRequestFields`:
 * - Claude: `thinking: {type: "enabled", budget_tokens}`; an effort becomes a budget.
 * - Nova 2: `reasoningConfig: {type: "enabled", maxReasoningEffort}`; a budget becomes an effort.
 * - gpt-oss: `reasoning_effort`.
 * Anything that has to be translated is reported; families without a reasoning switch get a
 * warning and nothing is sent.
 */
export function convertBedrockReasoning(
  reasoning: ReasoningOptions | undefined,
  family: BedrockModelFamily,
  providerName: string,
  warnings: Warning[],
): ReasoningFields {
  if (reasoning === undefined) return { additional: {} };
  const off = reasoning.enabled === false || reasoning.effort === 'none';
  const effort = reasoning.effort === 'none' ? undefined : reasoning.effort;
  if (reasoning.includeThoughts !== undefined && family !== 'anthropic') {
    warnings.push({ code: 'unsupported-parameter', param: 'reasoning.include_thoughts', message: `${providerName} has no switch for returning thoughts; it was not sent` });
  }
  if (family === 'anthropic') {
    if (off) return { additional: { thinking: { type: 'disabled' } } };
    let budget = reasoning.budgetTokens;
    if (budget === undefined && effort !== undefined) {
      budget = BUDGET_FOR_EFFORT[effort];
      warnings.push({ code: 'lossy-conversion', param: 'reasoning_effort', message: `reasoning_effort "${effort}" was sent to Claude as a thinking budget of ${budget} tokens` });
    }
    if (budget === undefined) {
      if (reasoning.enabled !== true) return { additional: {} };
      budget = BUDGET_FOR_EFFORT.medium;
      warnings.push({ code: 'lossy-conversion', param: 'reasoning', message: `thinking was enabled without a budget; Claude needs one, so ${budget} tokens were sent` });
    }
    return { additional: { thinking: { type: 'enabled', budget_tokens: budget } }, budgetTokens: budget };
  }
  if (family === 'nova') {
    if (off) return { additional: { reasoningConfig: { type: 'disabled' } } };
    let level: string | undefined = effort === 'minimal' ? 'low' : effort === 'xhigh' ? 'high' : effort;
    if (effort === 'minimal' || effort === 'xhigh') {
      warnings.push({ code: 'lossy-conversion', param: 'reasoning_effort', message: `Nova takes low, medium or high reasoning effort; "${effort}" was sent as "${level}"` });
    }
    if (level === undefined && reasoning.budgetTokens !== undefined) {
      level = effortForBudget(reasoning.budgetTokens);
      warnings.push({ code: 'lossy-conversion', param: 'reasoning', message: `a thinking budget of ${reasoning.budgetTokens} tokens was sent to Nova as reasoning effort "${level}"` });
    }
    if (level === undefined && reasoning.enabled !== true) return { additional: {} };
    return { additional: { reasoningConfig: { type: 'enabled', ...(level === undefined ? {} : { maxReasoningEffort: level }) } } };
  }
  if (family === 'openai') {
    let level: string | undefined = effort === 'minimal' ? 'low' : effort === 'xhigh' ? 'high' : effort;
    if (off) {
      warnings.push({ code: 'unsupported-parameter', param: 'reasoning_effort', message: `gpt-oss always reasons; reasoning could not be turned off` });
      return { additional: {} };
    }
    if (effort === 'minimal' || effort === 'xhigh') {
      warnings.push({ code: 'lossy-conversion', param: 'reasoning_effort', message: `gpt-oss takes low, medium or high reasoning effort; "${effort}" was sent as "${level}"` });
    }
    if (level === undefined && reasoning.budgetTokens !== undefined) {
      level = effortForBudget(reasoning.budgetTokens);
      warnings.push({ code: 'lossy-conversion', param: 'reasoning', message: `a thinking budget of ${reasoning.budgetTokens} tokens was sent to gpt-oss as reasoning_effort "${level}"` });
    }
    return { additional: level === undefined ? {} : { reasoning_effort: level } };
  }
  if (off && reasoning.effort === undefined && reasoning.budgetTokens === undefined) return { additional: {} };
  warnings.push({ code: 'unsupported-parameter', param: 'reasoning', message: `${providerName} has no reasoning settings for this model; they were not sent` });
  return { additional: {} };
}
