import type { BudgetCharge, BudgetState, RateCharge, RateState } from '../store/counters/counter-store.js';
import { NANO } from './governance-state.js';

/** A duration as OpenAI writes its reset headers: "20ms", "1.5s", "6m0s", "1h2m3s". */
export function formatResetDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const totalSeconds = ms / 1000;
  if (totalSeconds < 60) return `${Number(totalSeconds.toFixed(3))}s`;
  const seconds = Math.ceil(totalSeconds);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return hours > 0 ? `${hours}h${minutes}m${rest}s` : `${minutes}m${rest}s`;
}

function tightestRate(
  rates: ReadonlyArray<{ charge: RateCharge; state: RateState }>,
  kind: 'requests' | 'tokens',
  headers: Record<string, string>,
): void {
  let best: { charge: RateCharge; state: RateState } | undefined;
  for (const entry of rates) {
    if (entry.charge.kind !== kind) continue;
    if (
      best === undefined ||
      entry.state.remaining / entry.charge.limit < best.state.remaining / best.charge.limit
    )
      best = entry;
  }
  if (best === undefined) return;
  headers[`x-ratelimit-limit-${kind}`] = String(best.charge.limit);
  headers[`x-ratelimit-remaining-${kind}`] = String(best.state.remaining);
  headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(best.state.resetMs);
}

/**
 * Rate-limit and budget state for the response: OpenAI's x-ratelimit-{limit,remaining,reset}-
 * {requests,tokens} for the tightest limit of each kind, and x-switchyard-budget-* for the
 * budget with the least left (limit, remaining after open reservations, reset, whose).
 */
export function limitHeaders(
  rates: ReadonlyArray<{ charge: RateCharge; state: RateState }>,
  budgets: ReadonlyArray<{ charge: BudgetCharge; state: BudgetState }>,
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  tightestRate(rates, 'requests', headers);
  tightestRate(rates, 'tokens', headers);
  let tightest: { charge: BudgetCharge; remaining: number } | undefined;
  for (const { charge, state } of budgets) {
    const remaining = Math.max(0, charge.limitNano - state.spentNano - state.reservedNano);
    if (tightest === undefined || remaining < tightest.remaining) tightest = { charge, remaining };
  }
  if (tightest !== undefined) {
    const { charge, remaining } = tightest;
    headers['x-switchyard-budget-limit-usd'] = (charge.limitNano / NANO).toFixed(6);
    headers['x-switchyard-budget-remaining-usd'] = (remaining / NANO).toFixed(6);
    headers['x-switchyard-budget-scope'] = `${charge.subject.scope}:${charge.subject.id}`;
    if (charge.window.end < Number.MAX_SAFE_INTEGER)
      headers['x-switchyard-budget-reset'] = formatResetDuration(charge.window.end - now);
  }
  return headers;
}
