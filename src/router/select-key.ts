import type { ProviderKey } from '../providers/provider-settings.js';
import { matchesAnyPattern } from '../providers/shared/match-model-pattern.js';
import { weightedChoice } from './balance/weighted-choice.js';

/** The key may serve `model`: its allow list (absent: all) matches and its deny list does not. */
export function keyServesModel(key: ProviderKey, model: string): boolean {
  if (key.models !== undefined && !matchesAnyPattern(key.models, model)) return false;
  return key.denyModels === undefined || !matchesAnyPattern(key.denyModels, model);
}

/** Keys with a positive weight that may serve `model`, skipping `exclude` (by name). */
export function eligibleKeys(keys: readonly ProviderKey[], model: string, exclude?: ReadonlySet<string>): ProviderKey[] {
  const eligible: ProviderKey[] = [];
  for (const key of keys) {
    if (key.weight <= 0 || exclude?.has(key.name)) continue;
    if (keyServesModel(key, model)) eligible.push(key);
  }
  return eligible;
}

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
    return keyServesModel(only, model) ? only : undefined;
  }
  return weightedChoice(eligibleKeys(keys, model, exclude), (key) => key.weight, random);
}
