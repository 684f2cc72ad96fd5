import type { ProviderKey } from '../../providers/provider-settings.js';
import { weightedChoice } from '../balance/weighted-choice.js';
import { itemsToAvoid } from '../health/eject-share.js';
import type { HealthRegistry } from '../health/health-registry.js';
import { eligibleKeys, keyServesModel } from '../select-key.js';
import type { Target } from '../target.js';
import type { RequestDispatch } from './dispatch-call.js';

/** "provider/key": how keys are named in request and health state. */
export function keyId(target: Target, key: ProviderKey): string {
  return `${target.provider.id}/${key.name}`;
}

/** The key the client pinned, when this target's provider has a key of that name. */
export function pinnedKeyFor(target: Target, job: RequestDispatch): ProviderKey | undefined {
  if (job.pinnedKey === undefined) return undefined;
  return target.provider.settings.keys.find((key) => key.name === job.pinnedKey);
}

/** Keys of the target this request may still use; `fresh` also leaves out keys rate limited during it. */
export function usableKeys(target: Target, job: RequestDispatch, fresh: boolean): ProviderKey[] {
  const pinned = pinnedKeyFor(target, job);
  const keys = pinned !== undefined ? (keyServesModel(pinned, target.model) ? [pinned] : []) : eligibleKeys(target.provider.settings.keys, target.model);
  return keys.filter((key) => {
    const id = keyId(target, key);
    return !job.refusedKeys.has(id) && !(fresh && job.limitedKeys.has(id));
  });
}

/** Whether another attempt on this target has a key to use. */
export function hasUsableKey(target: Target, job: RequestDispatch, fresh: boolean): boolean {
  if (target.provider.settings.keys.length === 0) return true;
  return usableKeys(target, job, fresh).length > 0;
}

/**
 * Choose the key for an attempt: the pinned one when the client pinned a key of this provider;
 * otherwise a weighted choice among the keys that may serve the model (allow and deny lists),
 * leaving out keys refused during this request, then keys rate limited during it (unless no
 * other is left), then keys whose circuit is open or that are cooling down after a 429 (within
 * the allowed share: when too many are out, the ones back soonest are used).
 */
export function chooseKey(target: Target, job: RequestDispatch, health: HealthRegistry, maxEjectedShare: number, random: () => number): ProviderKey | undefined {
  const pinned = pinnedKeyFor(target, job);
  if (pinned !== undefined) return usableKeys(target, job, false)[0];
  let keys = usableKeys(target, job, true);
  if (keys.length === 0) keys = usableKeys(target, job, false);
  if (keys.length <= 1) return keys[0];
  const provider = target.provider;
  const avoid = itemsToAvoid(
    keys,
    (key) => !health.keyAvailable(provider, key),
    (key) => health.keyRemainingMs(provider, key),
    maxEjectedShare,
  );
  const healthy = avoid.length === 0 ? keys : keys.filter((key) => !avoid.includes(key));
  return weightedChoice(healthy.length > 0 ? healthy : keys, (key) => key.weight, random);
}
