import type { ProviderCallContext } from '../provider.js';

/*
 * Structured output emulated with a forced tool (for `json` mode, which Anthropic lacks, and
 * for json_schema where native structured outputs are switched off, e.g. Claude on Vertex where
 * an organisation policy gates them). The request builder remembers the tool's name on the call
 * context; the decoders turn that tool's input back into the answer text.
 */

const emulatedTools = new WeakMap<ProviderCallContext, string>();

/** Tool names must match ^[a-zA-Z0-9_-]{1,64}$. */
export function structuredOutputToolName(name: string | undefined): string {
  const cleaned = (name ?? '').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'json_response' : cleaned;
}

export function rememberStructuredOutputTool(context: ProviderCallContext, name: string): void {
  emulatedTools.set(context, name);
}

/** The emulated structured-output tool of this call, if there is one. */
export function structuredOutputTool(context: ProviderCallContext): string | undefined {
  return emulatedTools.get(context);
}
