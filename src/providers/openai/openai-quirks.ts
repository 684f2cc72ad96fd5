/**
 * Declared differences between OpenAI and the vendors that speak its chat dialect. The one
 * adapter reads these; vendors are configuration, not copies.
 */
export interface OpenAiQuirks {
  /** Field that carries the output token limit. OpenAI wants max_completion_tokens. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Accepts `stream_options.include_usage` (otherwise usage comes unasked or not at all). */
  streamOptions: boolean;
  /** Accepts the `developer` role (otherwise developer messages are sent as `system`). */
  developerRole: boolean;
  /** Spelling of tool_choice "required" (Mistral says "any"). */
  requiredToolChoice: 'required' | 'any';
  /** Name of the seed parameter (Mistral: random_seed). */
  seedField: 'seed' | 'random_seed';
  /** Accepts reasoning_effort, and which levels. */
  reasoningEffort: readonly string[] | false;
  /** Accepts top_k (vLLM, Together, Fireworks, ...). */
  topK: boolean;
  /** Parameters the vendor rejects or ignores: they produce a warning and are not sent. */
  unsupported: readonly string[];
  /**
   * Field under which earlier-turn reasoning may be sent back in assistant messages, if the
   * vendor accepts it (vLLM, OpenRouter take "reasoning_content"/"reasoning").
   */
  reasoningInput: 'reasoning_content' | 'reasoning' | false;
}

export const OPENAI_QUIRKS: OpenAiQuirks = {
  maxTokensField: 'max_completion_tokens',
  streamOptions: true,
  developerRole: true,
  requiredToolChoice: 'required',
  seedField: 'seed',
  reasoningEffort: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'],
  topK: false,
  unsupported: [],
  reasoningInput: false,
};

/** The common case for OpenAI-compatible servers; vendors override what differs. */
export const COMPATIBLE_QUIRKS: OpenAiQuirks = {
  maxTokensField: 'max_tokens',
  streamOptions: true,
  developerRole: false,
  requiredToolChoice: 'required',
  seedField: 'seed',
  reasoningEffort: false,
  topK: false,
  unsupported: [],
  reasoningInput: false,
};
