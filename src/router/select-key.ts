import type { ProviderKey } from '../providers/provider-settings.js';
import { matchesAnyPattern } from '../providers/shared/match-model-pattern.js';

/**
 * Weighted random choice among the provider's keys that may serve `model`, skipping `exclude`
 * (keys that already failed for this request). Undefined when the provider has no keys (keyless
 * local servers) — and also when every key is excluded, which callers must tell apart by
 * checking `keys.length`.
 */
export function selectKey(
  keys: readonly ProviderKey[],
  model: string,
  exclude?: ReadonlySet<string>,
  random: () => number = Math.random,
): ProviderKey | undefined {
  if (keys.length === 1) {
    const only = keys[0]!;
    if (exclude?.has(only.name) || only.weight <= 0) return undefined;
    return only.models === undefined || matchesAnyPattern(only.models, model) ? only : undefined;
  }
  let total = 0;
  const eligible: ProviderKey[] = [];
  for (const key of keys) {
    if (key.weight <= 0 || exclude?.has(key.name)) continue;
    if (key.models !== undefined && !matchesAnyPattern(key.models, model)) continue;
    eligible.push(key);
    total += key.weight;
  }
  if (eligible.length === 0) return undefined;
  let pick = random() * total;
  for (const key of eligible) {
    pick -= key.weight;
    if (pick < 0) return key;
  }
  return eligible[eligible.length - 1];
}
