import type { CacheControl } from './cache-control.js';
import type { ProviderOptions } from './provider-options.js';

/** A function the model may call. `parameters` is a JSON Schema object. */
export interface FunctionTool {
  type: 'function';
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  /** OpenAI strict schema adherence. */
  strict?: boolean;
  cacheControl?: CacheControl;
  providerOptions?: ProviderOptions;
}

/**
 * A tool executed by the provider itself (web search, code execution, computer use, ...).
 * `provider` names the dialect family and `spec` is the vendor's own tool object, passed
 * through unchanged to that family and reported as unsupported elsewhere.
 */
export interface ProviderTool {
  type: 'provider';
  provider: string;
  name: string;
  spec: Record<string, unknown>;
}

export type Tool = FunctionTool | ProviderTool;

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  /** The model must call at least one tool (OpenAI "required", Anthropic "any"). */
  | { type: 'required' }
  | { type: 'tool'; name: string };
