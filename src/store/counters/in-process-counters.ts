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
import { CounterTable } from './counter-table.js';

export { SETTLE_GRACE_MS } from './counter-table.js';

/**
 * Counters in this process (one instance, no Redis). Budgets start from the durable spend
 * ledger (SQLite or PostgreSQL) the first time a window is used, so restarts keep spend; rate
 * limits start empty. Everything after seeding is synchronous, hence atomic.
 */
export class InProcessCounters implements CounterStore {
  readonly kind = 'memory' as const;
  private readonly table = new CounterTable();
  private readonly seeding = new Map<string, Promise<void>>();
  private readonly seedSpent: SeedSpent;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(seedSpent: SeedSpent, options: { now?: () => number } = {}) {
    this.seedSpent = seedSpent;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.table.sweep(this.now()), 60_000);
    this.sweeper.unref();
  }

  private async ensure(
    charges: readonly Omit<BudgetCharge, 'amountNano'>[],
    reservationTtlMs: number,
  ): Promise<void> {
    for (const charge of charges) {
      if (this.table.has(charge.counter)) continue;
      let pending = this.seeding.get(charge.counter);
      if (pending === undefined) {
        pending = this.seedSpent(charge.subject, charge.window).then(
          (spent) => this.table.seed(charge.counter, spent, charge.window.end + reservationTtlMs),
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

  async admit(
    requestId: string,
    budgets: readonly BudgetCharge[],
    rates: readonly RateCharge[],
    reservationTtlMs: number,
  ): Promise<AdmitResult> {
    if (budgets.length > 0) await this.ensure(budgets, reservationTtlMs);
    return this.table.admit(requestId, budgets, rates, reservationTtlMs, this.now());
  }

  async settle(
    requestId: string,
    budgets: readonly BudgetSettlement[],
    rates: readonly RateAdjustment[],
  ): Promise<void> {
    this.table.settle(requestId, budgets, rates, this.now());
  }

  async inspect(
    budgets: readonly Omit<BudgetCharge, 'amountNano'>[],
    rates: readonly Omit<RateCharge, 'cost'>[],
  ): Promise<{ budgets: BudgetState[]; rates: RateState[] }> {
    if (budgets.length > 0) await this.ensure(budgets, 0);
    return this.table.inspect(budgets, rates, this.now());
  }

  noteUnmetered(): void {
    // In-process counters are never unreachable.
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
