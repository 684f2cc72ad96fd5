import type { Provider } from '../providers/provider.js';

/** How the balancer picks among the targets of one group (docs/routing.md). */
export type BalanceStrategy = 'weighted' | 'least-in-flight' | 'latency' | 'cost';

/**
 * Targets that stand in for each other: an alias's or rule's targets, or one fallback. The
 * balancer picks among a group's members; retries move to another member before waiting on the
 * same one; the next group is the fallback.
 */
export interface TargetGroup {
  /** The alias, rule or model the group came from (logs, attempt reasons). */
  name: string;
  strategy: BalanceStrategy;
  /** Hedge after this many milliseconds; null turns hedging off; absent: routing.hedging decides. */
  hedgeAfterMs?: number | null;
  /** Overall deadline of requests on this route, in milliseconds (absent: routing.deadline). */
  deadlineMs?: number;
}

/** One place a request can go: a provider and the model id to ask it for. */
export interface Target {
  provider: Provider;
  model: string;
  /** How the target was chosen, for logs ("requested", "fallback", "route smart", ...). */
  reason: string;
  /** Consecutive targets with the same group are alternatives; absent: a group of its own. */
  group?: TargetGroup;
  /** Weight within the group (default 1). */
  weight?: number;
}

/** "provider/model": the identity of a target in health state and logs. */
export function targetId(target: Target): string {
  return `${target.provider.id}/${target.model}`;
}

/** Split a flat plan into groups: consecutive targets sharing a group object. */
export function groupTargets(targets: readonly Target[]): Target[][] {
  const groups: Target[][] = [];
  let current: Target[] | undefined;
  for (const target of targets) {
    if (current !== undefined && target.group !== undefined && current[0]!.group === target.group) current.push(target);
    else groups.push((current = [target]));
  }
  return groups;
}
