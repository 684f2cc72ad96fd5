import type {
  AdmitResult,
  BudgetCharge,
  BudgetSettlement,
  BudgetState,
  RateAdjustment,
  RateCharge,
  RateState,
} from './counter-store.js';
import { gcraAdjust, gcraPeek, gcraTake } from './gcra.js';

/** What the table reads of a budget charge (the subject is only needed to seed a counter). */
export type TableBudgetCharge = Pick<BudgetCharge, 'counter' | 'limitNano' | 'amountNano'> & {
  window: { end: number };
};
export type TableRateCharge = Pick<RateCharge, 'counter' | 'kind' | 'limit' | 'periodMs' | 'cost'>;
export type TableBudgetSettlement = Pick<BudgetSettlement, 'counter' | 'actualNano'>;
export type TableRateAdjustment = RateAdjustment;

interface BudgetCounter {
  spent: number;
  reserved: number;
  /** Open reservations: request id → amount and expiry. */
  reservations: Map<string, { amount: number; expiresAt: number }>;
  /** No open reservation expires before this (a lower bound: settling does not raise it). */
  nextExpiry: number;
  /** Dropped after this (window end plus the reservation time). */
  dropAfter: number;
}

/** An admitted request stays settleable this long past its reservation time. */
export const SETTLE_GRACE_MS = 3_600_000;

/**
 * Budget and rate-limit counters as plain synchronous state: the single source of truth of one
 * gateway process (`InProcessCounters`) or of every worker of a cluster (the primary's
 * `CounterHost`). Budget counters must be seeded (from the spend ledger) before admitting
 * against them; `missing` names those that are not. Every method runs to completion without
 * yielding, so each admission is atomic over all of its charges.
 */
export class CounterTable {
  private readonly budgets = new Map<string, BudgetCounter>();
  private readonly rates = new Map<string, number>();
  /** Admitted, not yet settled requests → when to forget them. Settling needs an entry, so it counts once. */
  private readonly inflight = new Map<string, number>();

  has(counter: string): boolean {
    return this.budgets.has(counter);
  }

  /** Indexes of the budget charges whose counter has not been seeded yet. */
  missing(charges: readonly { counter: string }[]): number[] {
    const missing: number[] = [];
    charges.forEach((charge, index) => {
      if (!this.budgets.has(charge.counter)) missing.push(index);
    });
    return missing;
  }

  /** Start a budget counter at `spent`, unless it exists already (the first seed wins). */
  seed(counter: string, spent: number, dropAfter: number): void {
    if (this.budgets.has(counter)) return;
    this.budgets.set(counter, {
      spent,
      reserved: 0,
      reservations: new Map(),
      nextExpiry: Number.POSITIVE_INFINITY,
      dropAfter,
    });
  }

  /** Give back reservations past their expiry. Scans only once one may have expired. */
  private release(counter: BudgetCounter, now: number): void {
    if (counter.reservations.size === 0 || now < counter.nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [id, reservation] of counter.reservations) {
      if (reservation.expiresAt <= now) {
        counter.reserved -= reservation.amount;
        counter.reservations.delete(id);
      } else if (reservation.expiresAt < next) next = reservation.expiresAt;
    }
    counter.nextExpiry = next;
  }

  private counter(id: string): BudgetCounter {
    const counter = this.budgets.get(id);
    if (counter === undefined) throw new Error(`budget counter ${id} was not seeded`);
    return counter;
  }

  /** Admit against seeded counters (see `CounterStore.admit`). */
  admit(
    requestId: string,
    budgets: readonly TableBudgetCharge[],
    rates: readonly TableRateCharge[],
    reservationTtlMs: number,
    now: number,
  ): AdmitResult {
    let refusal: AdmitResult['refusal'];
    const budgetStates: BudgetState[] = [];
    for (let index = 0; index < budgets.length; index++) {
      const charge = budgets[index]!;
      const counter = this.counter(charge.counter);
      this.release(counter, now);
      budgetStates.push({ spentNano: counter.spent, reservedNano: counter.reserved });
      if (refusal === undefined && counter.spent + counter.reserved >= charge.limitNano) {
        refusal = {
          kind: 'budget',
          index,
          retryAfterMs: charge.window.end >= Number.MAX_SAFE_INTEGER ? undefined : charge.window.end - now,
        };
      }
    }
    const decisions = rates.map((charge, index) => {
      const decision = gcraTake(
        this.rates.get(charge.counter),
        now,
        charge.limit,
        charge.periodMs,
        charge.cost,
        charge.kind === 'tokens',
      );
      if (refusal === undefined && !decision.allowed)
        refusal = { kind: 'rate', index, retryAfterMs: decision.retryAfterMs };
      return decision;
    });
    if (refusal !== undefined) {
      const rateStates = rates.map((charge) =>
        gcraPeek(this.rates.get(charge.counter), now, charge.limit, charge.periodMs),
      );
      return { admitted: false, refusal, budgets: budgetStates, rates: rateStates };
    }
    for (let index = 0; index < budgets.length; index++) {
      const charge = budgets[index]!;
      const counter = this.counter(charge.counter);
      const previous = counter.reservations.get(requestId);
      if (previous !== undefined) counter.reserved -= previous.amount;
      counter.reserved += charge.amountNano;
      const expiresAt = now + reservationTtlMs;
      counter.reservations.set(requestId, { amount: charge.amountNano, expiresAt });
      if (expiresAt < counter.nextExpiry) counter.nextExpiry = expiresAt;
      budgetStates[index] = { spentNano: counter.spent, reservedNano: counter.reserved };
    }
    this.inflight.set(requestId, now + reservationTtlMs + SETTLE_GRACE_MS);
    const rateStates: RateState[] = rates.map((charge, index) => {
      const decision = decisions[index]!;
      this.rates.set(charge.counter, decision.tat);
      return { remaining: decision.remaining, resetMs: decision.resetMs };
    });
    return { admitted: true, budgets: budgetStates, rates: rateStates };
  }

  /** Replace reservations by real costs and correct token counts, once per request id. */
  settle(
    requestId: string,
    budgets: readonly TableBudgetSettlement[],
    rates: readonly TableRateAdjustment[],
    now: number,
  ): void {
    if (!this.inflight.delete(requestId)) return;
    for (const settlement of budgets) {
      const counter = this.budgets.get(settlement.counter);
      // A counter that is gone (window over, or never seeded) is rebuilt from the ledger.
      if (counter === undefined) continue;
      const reservation = counter.reservations.get(requestId);
      if (reservation !== undefined) {
        counter.reserved -= reservation.amount;
        counter.reservations.delete(requestId);
      }
      counter.spent += settlement.actualNano;
    }
    for (const adjustment of rates) {
      if (adjustment.delta === 0) continue;
      const tat = gcraAdjust(
        this.rates.get(adjustment.counter),
        now,
        adjustment.limit,
        adjustment.periodMs,
        adjustment.delta,
      );
      if (tat === undefined) this.rates.delete(adjustment.counter);
      else this.rates.set(adjustment.counter, tat);
    }
  }

  /** Current state of seeded counters, without taking anything. */
  inspect(
    budgets: readonly { counter: string }[],
    rates: readonly Pick<RateCharge, 'counter' | 'limit' | 'periodMs'>[],
    now: number,
  ): { budgets: BudgetState[]; rates: RateState[] } {
    return {
      budgets: budgets.map((charge) => {
        const counter = this.counter(charge.counter);
        this.release(counter, now);
        return { spentNano: counter.spent, reservedNano: counter.reserved };
      }),
      rates: rates.map((charge) =>
        gcraPeek(this.rates.get(charge.counter), now, charge.limit, charge.periodMs),
      ),
    };
  }

  /** Drop finished windows, drained rate limits and requests that never settled. */
  sweep(now: number): void {
    for (const [id, counter] of this.budgets)
      if (counter.dropAfter < now && counter.reservations.size === 0) this.budgets.delete(id);
    for (const [id, tat] of this.rates) if (tat <= now) this.rates.delete(id);
    for (const [id, forgetAt] of this.inflight) if (forgetAt < now) this.inflight.delete(id);
  }
}
