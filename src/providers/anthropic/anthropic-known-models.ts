/** Claude model names the Anthropic providers serve without configuration (bare-name routing). */
export const ANTHROPIC_MODEL_PATTERNS = ['claude-*'];

/** Advertised on model lists when the config names none. */
export const ANTHROPIC_KNOWN_MODELS = [
  'claude-opus-4-5',
  'claude-sonnet-4-5',
  'claude-haiku-4-5',
  'claude-opus-4-1',
  'claude-sonnet-4-0',
  'claude-3-7-sonnet-latest',
  'claude-3-5-haiku-latest',
];
