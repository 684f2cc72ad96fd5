import type { ReasoningOptions, Warning } from '../../core/index.js';

type Json = Record<string, unknown>;

const GEMINI_3 = /^(models\/)?gemini-3([.-]|$)/;

/**
 * Effort → thinking budget for models that take a budget (Gemini 2.5). The thresholds match
 * the reverse mapping of the OpenAI adapter (≤1024 low, ≤8192 medium, above that high).
 * 2.5 Flash accepts up to 24576 tokens, 2.5 Pro up to 32768.
 */
function budgetForEffort(effort: NonNullable<ReasoningOptions['effort']>, model: string): number {
  switch (effort) {
    case 'none':
      return 0;
    case 'minimal':
      return 128;
    case 'low':
      return 1024;
    case 'medium':
      return 8192;
    case 'high':
      return 24576;
    case 'xhigh':
      return model.includes('flash') ? 24576 : 32768;
  }
}

/**
 * Canonical reasoning options → Gemini `thinkingConfig`.
 *
 * - Gemini 3 takes `thinkingLevel` (minimal/low/medium/high; Pro models have no minimal and
 *   cannot stop thinking), and still accepts an explicit `thinkingBudget`. Both at once is an
 *   error, so exactly one is sent.
 * - Gemini 2.5 and earlier take `thinkingBudget` (0 turns thinking off where the model allows
 *   it, -1 is dynamic).
 * - `includeThoughts` asks for thought summaries in the answer.
 * Every approximation is reported as a warning.
 */
export function mapReasoningToGeminiThinking(reasoning: ReasoningOptions, model: string, warnings: Warning[]): Json | undefined {
  const config: Json = {};
  if (reasoning.includeThoughts !== undefined) config.includeThoughts = reasoning.includeThoughts;
  const gemini3 = GEMINI_3.test(model);
  const pro = model.includes('pro');
  const lossy = (message: string): void => {
    warnings.push({ code: 'lossy-conversion', param: 'reasoning_effort', message });
  };
  if (reasoning.budgetTokens !== undefined) {
    config.thinkingBudget = reasoning.budgetTokens;
  } else if (reasoning.effort !== undefined) {
    const effort = reasoning.effort;
    if (gemini3) {
      let level: string = effort;
      if (effort === 'none') {
        level = pro ? 'low' : 'minimal';
        lossy(`${model} cannot turn thinking off; thinkingLevel "${level}" was sent`);
      } else if (effort === 'xhigh') {
        level = 'high';
        lossy(`${model} has no thinking level above "high"; "high" was sent`);
      } else if (effort === 'minimal' && pro) {
        level = 'low';
        lossy(`${model} has no "minimal" thinking level; "low" was sent`);
      }
      config.thinkingLevel = level;
    } else {
      config.thinkingBudget = budgetForEffort(effort, model);
      if (effort === 'none' && pro) lossy(`${model} cannot turn thinking off; it was asked for a budget of 0 and may refuse it`);
    }
  } else if (reasoning.enabled === false) {
    if (gemini3) {
      config.thinkingLevel = pro ? 'low' : 'minimal';
      lossy(`${model} cannot turn thinking off; thinkingLevel "${config.thinkingLevel as string}" was sent`);
    } else {
      config.thinkingBudget = 0;
    }
  } else if (reasoning.enabled === true && !gemini3) {
    config.thinkingBudget = -1;
  }
  return Object.keys(config).length === 0 ? undefined : config;
}
