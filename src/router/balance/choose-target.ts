import type { HealthRegistry } from '../health/health-registry.js';
import type { BalanceStrategy, Target } from '../target.js';
import { weightedChoice } from './weighted-choice.js';

const weightOf = (target: Target): number => target.weight ?? 1;

/** Weighted random: each target's share of traffic is its weight's share. */
function weighted(candidates: readonly Target[], _health: HealthRegistry, random: () => number): Target | undefined {
  return weightedChoice(candidates, weightOf, random);
}

/** Least in flight, relative to weight; ties are broken at random by weight. */
function leastInFlight(candidates: readonly Target[], health: HealthRegistry, random: () => number): Target | undefined {
  let best = Infinity;
  let ties: Target[] = [];
  for (const target of candidates) {
    const weight = weightOf(target);
    if (weight <= 0 && candidates.length > 1) continue;
    const load = (health.statsFor(target).inFlight + 1) / Math.max(weight, 1e-9);
    if (load < best) {
      best = load;
      ties = [target];
    } else if (load === best) {
      ties.push(target);
    }
  }
  return weightedChoice(ties, weightOf, random);
}

/**
 * Latency-aware: the power of two choices. Two targets are drawn by weight and the one with the
 * lower cost wins, cost = (peak-EWMA latency score + 1 ms) × (in flight + 1). The scores are
 * refreshed off the request path; here they are only read.
 */
function latency(candidates: readonly Target[], health: HealthRegistry, random: () => number): Target | undefined {
  if (candidates.length <= 1) return candidates[0];
  const first = weightedChoice(candidates, weightOf, random)!;
  const rest = candidates.filter((target) => target !== first);
  const second = weightedChoice(rest, weightOf, random)!;
  const cost = (target: Target): number => {
    const stats = health.statsFor(target);
    return (stats.latency.score + 1) * (stats.inFlight + 1);
  };
  const a = cost(first);
  const b = cost(second);
  if (a === b) return random() < 0.5 ? first : second;
  return a < b ? first : second;
}

/** Lowest catalog price; targets with unknown prices come last; ties by weight. */
function cost(candidates: readonly Target[], health: HealthRegistry, random: () => number): Target | undefined {
  let best = Infinity;
  let ties: Target[] = [];
  for (const target of candidates) {
    const price = health.statsFor(target).price;
    if (price < best) {
      best = price;
      ties = [target];
    } else if (price === best) {
      ties.push(target);
    }
  }
  return weightedChoice(ties, weightOf, random);
}

const STRATEGIES: Record<BalanceStrategy, (candidates: readonly Target[], health: HealthRegistry, random: () => number) => Target | undefined> = {
  weighted,
  'least-in-flight': leastInFlight,
  latency,
  cost,
};

/** Pick one of the candidates with the group's strategy. */
export function chooseTarget(strategy: BalanceStrategy, candidates: readonly Target[], health: HealthRegistry, random: () => number): Target | undefined {
  if (candidates.length <= 1) return candidates[0];
  return STRATEGIES[strategy](candidates, health, random);
}
