import type { SpendScope } from '../governance/entities.js';
import type { GovernanceService } from '../governance/governance-service.js';
import { NANO, type Subject } from '../governance/governance-state.js';
import { budgetCharges, rateCharges } from '../governance/limit-charges.js';
import { CounterUnavailableError } from '../store/counters/counter-store.js';
import { GatewayError } from '../core/index.js';

function usd(nano: number): number {
  return Math.round(nano) / NANO;
}

/**
 * Remaining budget and rate-limit state of one subject, read from the counters without taking
 * anything: per budget its window, spent, reserved (requests in flight) and remaining; per rate
 * limit what is left and when it is full again.
 */
export async function subjectUsage(
  service: GovernanceService,
  subject: Subject,
  name: string,
): Promise<Record<string, unknown>> {
  const now = Date.now();
  const budgets = budgetCharges([subject], now, 0);
  const rates = rateCharges([subject], 0);
  let state;
  try {
    state = await service.counters.inspect(budgets, rates);
  } catch (error) {
    if (!(error instanceof CounterUnavailableError)) throw error;
    throw new GatewayError({
      code: 'governance_unavailable',
      status: 503,
      retryable: true,
      retryAfterMs: 1000,
      message: `Usage is unavailable: ${error.message}`,
    });
  }
  const rateViews: Array<Record<string, unknown>> = [];
  let rateIndex = 0;
  for (const rate of subject.rates) {
    const view: Record<string, unknown> = { per: rate.per };
    for (const kind of ['requests', 'tokens'] as const) {
      const limit = rate[kind];
      if (limit === undefined) continue;
      const current = state.rates[rateIndex++]!;
      view[kind] = { limit, remaining: current.remaining, resetMs: current.resetMs };
    }
    rateViews.push(view);
  }
  return {
    scope: subject.scope,
    id: subject.id,
    name,
    budgets: subject.budgets.map((budget, index) => {
      const charge = budgets[index]!;
      const current = state.budgets[index]!;
      const lifetime = charge.window.end >= Number.MAX_SAFE_INTEGER;
      return {
        usd: budget.usd,
        period: budget.period?.text ?? null,
        calendar: budget.calendar,
        windowStart: lifetime ? null : new Date(charge.window.start).toISOString(),
        resetsAt: lifetime ? null : new Date(charge.window.end).toISOString(),
        spentUsd: usd(current.spentNano),
        reservedUsd: usd(current.reservedNano),
        remainingUsd: usd(Math.max(0, charge.limitNano - current.spentNano - current.reservedNano)),
      };
    }),
    rateLimits: rateViews,
  };
}

/** The name shown for a subject. */
export function subjectName(service: GovernanceService, scope: SpendScope, id: string): string {
  const state = service.state;
  switch (scope) {
    case 'virtual-key':
      return state.keysById.get(id)?.key.name ?? id;
    case 'team':
      return state.teams.get(id)?.name ?? id;
    case 'customer':
      return state.customers.get(id)?.name ?? id;
    case 'provider':
      return id;
  }
}
