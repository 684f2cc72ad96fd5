import { matchesAnyPattern } from '../providers/shared/match-model-pattern.js';
import type { AccessLists } from './entities.js';

function modelMatches(patterns: readonly string[], provider: string, model: string): boolean {
  for (const pattern of patterns) {
    const subject = pattern.includes('/') ? `${provider}/${model}` : model;
    if (matchesAnyPattern([pattern], subject)) return true;
  }
  return false;
}

/**
 * Why `lists` refuse a target, or undefined when they allow it. Provider patterns match the
 * provider id; model patterns with a "/" match "provider/model", others the upstream model id.
 * A deny entry wins over an allow entry; an absent allow list allows everything.
 */
export function accessRefusal(lists: AccessLists, provider: string, model: string): string | undefined {
  if (lists.denyProviders !== undefined && matchesAnyPattern(lists.denyProviders, provider))
    return `provider "${provider}" is denied`;
  if (lists.providers !== undefined && !matchesAnyPattern(lists.providers, provider))
    return `provider "${provider}" is not allowed`;
  if (lists.denyModels !== undefined && modelMatches(lists.denyModels, provider, model))
    return `model "${provider}/${model}" is denied`;
  if (lists.models !== undefined && !modelMatches(lists.models, provider, model))
    return `model "${provider}/${model}" is not allowed`;
  return undefined;
}
