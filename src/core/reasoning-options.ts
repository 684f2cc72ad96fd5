/**
 * How much the model should think. Providers take either an effort level (OpenAI
 * `reasoning_effort`, Gemini `thinkingLevel`) or a token budget (Anthropic/Gemini/Bedrock
 * `budget_tokens`); adapters convert between the two and warn where the mapping is lossy.
 */
export interface ReasoningOptions {
  effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
  budgetTokens?: number;
  /** Explicitly on or off, for providers with a switch (Anthropic `thinking.type`). */
  enabled?: boolean;
  /** Ask the provider to return its thoughts (Gemini includeThoughts, OpenAI summaries). */
  includeThoughts?: boolean;
}
