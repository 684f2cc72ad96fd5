import type { Warning } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';
import type { OpenAiQuirks } from './openai-quirks.js';

export interface QuirkPatch {
  /** Top-level members to set (JSON text). */
  set: Record<string, string>;
  /** Top-level members to remove. */
  remove: string[];
}

function unsupported(param: string, providerName: string, warnings: Warning[]): void {
  warnings.push({ code: 'unsupported-parameter', param, message: `${param} is not supported by ${providerName} and was not sent` });
}

/**
 * A vendor's declared quirks as patches of the client's top-level members, for the passthrough
 * path: the same renames (max_completion_tokens → max_tokens, seed → random_seed), rewrites
 * (tool_choice "required" → "any") and removals with warnings as the canonical path makes.
 * Undefined when the body needs more than that (a developer message, a reasoning effort the
 * vendor spells otherwise): the canonical path handles those.
 */
export function passthroughQuirks(body: Record<string, unknown>, quirks: OpenAiQuirks, providerName: string, warnings: Warning[]): QuirkPatch | undefined {
  const patch: QuirkPatch = { set: {}, remove: [] };
  const rename = (from: string, to: string): void => {
    if (body[from] === undefined || body[to] !== undefined) return;
    patch.set[to] = JSON.stringify(body[from]);
    patch.remove.push(from);
  };
  const drop = (field: string, param = field): void => {
    if (body[field] === undefined || patch.remove.includes(field)) return;
    patch.remove.push(field);
    unsupported(param, providerName, warnings);
  };
  if (quirks.maxTokensField === 'max_tokens') rename('max_completion_tokens', 'max_tokens');
  if (quirks.seedField === 'random_seed') rename('seed', 'random_seed');
  if (quirks.requiredToolChoice === 'any' && body.tool_choice === 'required') patch.set.tool_choice = '"any"';
  if (!quirks.topK) drop('top_k');
  if (!quirks.streamOptions && body.stream_options !== undefined) patch.remove.push('stream_options');
  for (const field of quirks.unsupported) {
    // n = 1 is everyone's default: dropped without a warning, as on the canonical path.
    if (field === 'n' && body.n === 1) patch.remove.push('n');
    else drop(field);
  }
  if (body.reasoning_effort !== undefined) {
    if (quirks.reasoningEffort === false) drop('reasoning_effort');
    else if (typeof body.reasoning_effort === 'string' && !quirks.reasoningEffort.includes(body.reasoning_effort)) return undefined;
  }
  if (!quirks.developerRole && Array.isArray(body.messages)) {
    for (const message of body.messages) if (isRecord(message) && message.role === 'developer') return undefined;
  }
  return patch;
}
