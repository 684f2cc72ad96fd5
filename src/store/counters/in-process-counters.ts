import {
  CounterUnavailableError,
  type AdmitResult,
  type BudgetCharge,
  type BudgetSettlement,
  type BudgetState,
  type CounterStore,
  type RateAdjustment,
  type RateCharge,
  type RateState,
  type SeedSpent,
} from './counter-store.js';
import { gcraAdjust, gcraPeek, gcraTake } from './gcra.js';

interface BudgetCounter {
  spent: number;
  reserved: number;
  /** Open reservations: request id → amount and expiry. */
  reservations: Map<string, { amount: number; expiresAt: number }>;
  /** Dropped after this (window end plus the reservation time). */
  dropAfter: number;
}

/** An admitted request stays settleable this long past its reservation time. */
export const SETTLE_GRACE_MS = 3_600_000;

/**
 * Counters in this process (one instance, no Redis). Budgets start from the durable spend
 * ledger (SQLite or PostgreSQL) the first time a window is used, so restarts keep spend; rate
 * limits start empty. Everything after seeding is synchronous, hence atomic.
 */
export class InProcessCounters implements CounterStore {
  readonly kind = 'memory' as const;
  private readonly budgets = new Map<string, BudgetCounter>();
  private readonly seeding = new Map<string, Promise<void>>();
  private readonly rates = new Map<string, number>();
  /** Admitted, not yet settled requests → when to forget them. Settling needs an entry, so it counts once. */
  private readonly inflight = new Map<string, number>();
  private readonly seedSpent: SeedSpent;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(seedSpent: SeedSpent, options: { now?: () => number } = {}) {
    this.seedSpent = seedSpent;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private async ensure(
    charges: readonly Omit<BudgetCharge, 'amountNano'>[],
    reservationTtlMs: number,
  ): Promise<void> {
    for (const charge of charges) {
      if (this.budgets.has(charge.counter)) continue;
      let pending = this.seeding.get(charge.counter);
      if (pending === undefined) {
        pending = this.seedSpent(charge.subject, charge.window).then(
          (spent) => {
            if (!this.budgets.has(charge.counter)) {
              this.budgets.set(charge.counter, {
                spent,
                reserved: 0,
                reservations: new Map(),
                dropAfter: charge.window.end + reservationTtlMs,
              });
            }
          },
          (error: unknown) => {
            throw new CounterUnavailableError(
              `cannot read spend from the ledger: ${(error as Error).message}`,
              { cause: error },
            );
          },
        );
        pending.finally(() => this.seeding.delete(charge.counter)).catch(() => undefined);
        this.seeding.set(charge.counter, pending);
      }
      await pending;
    }
  }

  private release(counter: BudgetCounter, now: number): void {
    if (counter.reservations.size === 0) return;
    for (const [id, reservation] of counter.reservations) {
      if (reservation.expiresAt <= now) {
        counter.reserved -= reservation.amount;
        counter.reservations.delete(id);
      }
    }
  }

  async admit(
    requestId: string,
    budgets: readonly BudgetCharge[],
    rates: readonly RateCharge[],
    reservationTtlMs: number,
  ): Promise<AdmitResult> {
    if (budgets.length > 0) await this.ensure(budgets, reservationTtlMs);
    const now = this.now();
    let refusal: AdmitResult['refusal'];
    const budgetStates: BudgetState[] = [];
    budgets.forEach((charge, index) => {
      const counter = this.budgets.get(charge.counter)!;
      this.release(counter, now);
      budgetStates.push({ spentNano: counter.spent, reservedNano: counter.reserved });
      if (refusal === undefined && counter.spent + counter.reserved >= charge.limitNano) {
        refusal = {
          kind: 'budget',
          index,
          retryAfterMs: charge.window.end >= Number.MAX_SAFE_INTEGER ? undefined : charge.window.end - now,
        };
      }
    });
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
    budgets.forEach((charge, index) => {
      const counter = this.budgets.get(charge.counter)!;
      const previous = counter.reservations.get(requestId);
      if (previous !== undefined) counter.reserved -= previous.amount;
      counter.reserved += charge.amountNano;
      counter.reservations.set(requestId, { amount: charge.amountNano, expiresAt: now + reservationTtlMs });
      budgetStates[index] = { spentNano: counter.spent, reservedNano: counter.reserved };
    });
    this.inflight.set(requestId, now + reservationTtlMs + SETTLE_GRACE_MS);
    const rateStates: RateState[] = rates.map((charge, index) => {
      const decision = decisions[index]!;
      this.rates.set(charge.counter, decision.tat);
      return { remaining: decision.remaining, resetMs: decision.resetMs };
    });
    return { admitted: true, budgets: budgetStates, rates: rateStates };
  }

  async settle(
    requestId: string,
    budgets: readonly BudgetSettlement[],
    rates: readonly RateAdjustment[],
  ): Promise<void> {
    if (!this.inflight.delete(requestId)) return;
    const now = this.now();
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

  async inspect(
    budgets: readonly Omit<BudgetCharge, 'amountNano'>[],
    rates: readonly Omit<RateCharge, 'cost'>[],
  ): Promise<{ budgets: BudgetState[]; rates: RateState[] }> {
    if (budgets.length > 0) await this.ensure(budgets, 0);
    const now = this.now();
    return {
      budgets: budgets.map((charge) => {
        const counter = this.budgets.get(charge.counter)!;
        this.release(counter, now);
        return { spentNano: counter.spent, reservedNano: counter.reserved };
      }),
      rates: rates.map((charge) =>
        gcraPeek(this.rates.get(charge.counter), now, charge.limit, charge.periodMs),
      ),
    };
  }

  noteUnmetered(): void {
    // In-process counters are never unreachable.
  }

  /** Drop finished windows, drained rate limits and requests that never settled. */
  private sweep(): void {
    const now = this.now();
    for (const [id, counter] of this.budgets)
      if (counter.dropAfter < now && counter.reservations.size === 0) this.budgets.delete(id);
    for (const [id, tat] of this.rates) if (tat <= now) this.rates.delete(id);
    for (const [id, forgetAt] of this.inflight) if (forgetAt < now) this.inflight.delete(id);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
