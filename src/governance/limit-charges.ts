import { budgetWindow } from './budget-period.js';
import type { BudgetCharge, RateCharge } from '../store/counters/counter-store.js';
import type { CompiledBudget, Subject } from './governance-state.js';

/** Counter id of one budget window: subject, period (and alignment), window start. */
export function budgetCounterId(subject: Subject, budget: CompiledBudget, windowStart: number): string {
  return `${subject.scope}:${subject.id}:${budget.period?.text ?? 'all'}${budget.calendar ? ':cal' : ''}:${windowStart}`;
}

/** Every budget of every subject, in the window containing `now`, reserving `amountNano`. */
export function budgetCharges(subjects: readonly Subject[], now: number, amountNano: number): BudgetCharge[] {
  const charges: BudgetCharge[] = [];
  for (const subject of subjects) {
    for (const budget of subject.budgets) {
      const window = budgetWindow(now, budget.period, budget.calendar, budget.anchor);
      charges.push({
        counter: budgetCounterId(subject, budget, window.start),
        subject: { scope: subject.scope, id: subject.id },
        window,
        limitNano: budget.limitNano,
        amountNano,
      });
    }
  }
  return charges;
}

/** Every request and token limit of every subject; a request costs 1 and `tokens` tokens. */
export function rateCharges(subjects: readonly Subject[], tokens: number): RateCharge[] {
  const charges: RateCharge[] = [];
  for (const subject of subjects) {
    for (const rate of subject.rates) {
      if (rate.requests !== undefined) {
        charges.push({
          counter: `${subject.scope}:${subject.id}:requests:${rate.perMs}`,
          subject: { scope: subject.scope, id: subject.id },
          kind: 'requests',
          limit: rate.requests,
          periodMs: rate.perMs,
          cost: 1,
        });
      }
      if (rate.tokens !== undefined) {
        charges.push({
          counter: `${subject.scope}:${subject.id}:tokens:${rate.perMs}`,
          subject: { scope: subject.scope, id: subject.id },
          kind: 'tokens',
          limit: rate.tokens,
          periodMs: rate.perMs,
          cost: tokens,
        });
      }
    }
  }
  return charges;
}
