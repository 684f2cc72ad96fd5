import { chooseTarget } from '../balance/choose-target.js';
import { itemsToAvoid } from '../health/eject-share.js';
import type { HealthRegistry } from '../health/health-registry.js';
import { targetId, type Target } from '../target.js';
import type { RequestDispatch } from './dispatch-call.js';

/**
 * Refresh the set of targets this request may route around: the ejected targets of its plan,
 * within the allowed share. Nothing to do while no circuit is open anywhere.
 */
export function refreshAvoid(job: RequestDispatch, health: HealthRegistry, maxEjectedShare: number): void {
  job.avoid.clear();
  if (health.openCircuits === 0) return;
  const distinct = new Map<string, Target>();
  for (const group of job.groups) for (const target of group) if (!distinct.has(targetId(target))) distinct.set(targetId(target), target);
  const targets = [...distinct.values()];
  const avoid = itemsToAvoid(
    targets,
    (target) => !health.targetAvailable(target),
    (target) => health.targetRemainingMs(target),
    maxEjectedShare,
  );
  for (const target of avoid) job.avoid.add(targetId(target));
}

/** Members of the group this request may still use (not failed, not ejected), excluding `except`. */
export function usableMembers(group: readonly Target[], job: RequestDispatch, except?: Target): Target[] {
  const out: Target[] = [];
  for (const target of group) {
    if (target === except) continue;
    const id = targetId(target);
    if (job.failedTargets.has(id) || job.avoid.has(id)) continue;
    out.push(target);
  }
  return out;
}

/**
 * Pick the next member of a group: among usable members, those not tried yet by this group's
 * walk and not busy in another lane first, chosen by the group's strategy.
 */
export function pickMember(
  group: readonly Target[],
  job: RequestDispatch,
  tried: ReadonlySet<Target>,
  health: HealthRegistry,
  random: () => number,
  except?: Target,
): Target | undefined {
  const usable = usableMembers(group, job, except);
  if (usable.length === 0) return undefined;
  const fresh = usable.filter((target) => !tried.has(target) && !job.busyTargets.has(targetId(target)));
  const candidates = fresh.length > 0 ? fresh : except === undefined ? usable : [];
  if (candidates.length === 0) return undefined;
  return chooseTarget(group[0]!.group?.strategy ?? 'weighted', candidates, health, random);
}
