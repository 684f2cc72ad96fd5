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
import {
  COUNTER_SERVICE,
  type AdmitReply,
  type CounterRequest,
  type InspectReply,
} from './counter-protocol.js';

/** How a worker reaches the primary (an `IpcEndpoint` in production). */
export interface CounterChannel {
  call(service: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  /** False when the message could not be sent. */
  notify(service: string, payload: unknown): boolean;
}

/** Longer than this and the counters count as unavailable (the fail modes apply), as with Redis. */
const CALL_TIMEOUT_MS = 1000;
const SEED_TRIES = 3;

/**
 * The counters of a cluster worker: every admission is one call to the primary's
 * `CounterHost` (one IPC round trip on the request path), every settlement one notice after the
 * response. Budget counters the primary has not seen are started from this worker's view of
 * the spend ledger (the shared SQLite or PostgreSQL store plus its own rows not yet written),
 * then the admission is retried; the first worker to seed a counter wins.
 */
export class ClusterCounters implements CounterStore {
  readonly kind = 'cluster' as const;
  private readonly channel: CounterChannel;
  private readonly seedSpent: SeedSpent;

  constructor(channel: CounterChannel, seedSpent: SeedSpent) {
    this.channel = channel;
    this.seedSpent = seedSpent;
  }

  private async call(request: CounterRequest): Promise<unknown> {
    try {
      return await this.channel.call(COUNTER_SERVICE, request, CALL_TIMEOUT_MS);
    } catch (error) {
      throw new CounterUnavailableError(
        `the cluster primary (which keeps the counters) did not answer: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  private send(request: CounterRequest): void {
    if (!this.channel.notify(COUNTER_SERVICE, request))
      throw new CounterUnavailableError('the cluster primary (which keeps the counters) is gone');
  }

  /** Seed the named counters; the notices arrive before the retried call (one ordered channel). */
  private async seed(
    charges: readonly Omit<BudgetCharge, 'amountNano'>[],
    indexes: readonly number[],
    reservationTtlMs: number,
  ): Promise<void> {
    const seeds = await Promise.all(
      indexes.map(async (index) => {
        const charge = charges[index]!;
        try {
          return { charge, spent: await this.seedSpent(charge.subject, charge.window) };
        } catch (error) {
          throw new CounterUnavailableError(
            `cannot read spend from the ledger: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }),
    );
    for (const { charge, spent } of seeds) {
      this.send({
        op: 'seed',
        counter: charge.counter,
        spent,
        dropAfter: charge.window.end + reservationTtlMs,
      });
    }
  }

  async admit(
    requestId: string,
    budgets: readonly BudgetCharge[],
    rates: readonly RateCharge[],
    reservationTtlMs: number,
  ): Promise<AdmitResult> {
    const request: CounterRequest = {
      op: 'admit',
      requestId,
      budgets: budgets.map((charge) => ({
        counter: charge.counter,
        limitNano: charge.limitNano,
        amountNano: charge.amountNano,
        window: { end: charge.window.end },
      })),
      rates: rates.map((charge) => ({
        counter: charge.counter,
        kind: charge.kind,
        limit: charge.limit,
        periodMs: charge.periodMs,
        cost: charge.cost,
      })),
      reservationTtlMs,
    };
    for (let tries = 0; ; tries++) {
      const reply = (await this.call(request)) as AdmitReply;
      if ('result' in reply) return reply.result;
      if (tries >= SEED_TRIES) throw new CounterUnavailableError('budget counters could not be started');
      await this.seed(budgets, reply.missing, reservationTtlMs);
    }
  }

  async settle(
    requestId: string,
    budgets: readonly BudgetSettlement[],
    rates: readonly RateAdjustment[],
  ): Promise<void> {
    this.send({
      op: 'settle',
      requestId,
      budgets: budgets.map((settlement) => ({
        counter: settlement.counter,
        actualNano: settlement.actualNano,
      })),
      rates: rates.map((adjustment) => ({
        counter: adjustment.counter,
        limit: adjustment.limit,
        periodMs: adjustment.periodMs,
        delta: adjustment.delta,
      })),
    });
  }

  async inspect(
    budgets: readonly Omit<BudgetCharge, 'amountNano'>[],
    rates: readonly Omit<RateCharge, 'cost'>[],
  ): Promise<{ budgets: BudgetState[]; rates: RateState[] }> {
    const request: CounterRequest = {
      op: 'inspect',
      budgets: budgets.map((charge) => ({ counter: charge.counter })),
      rates: rates.map((charge) => ({
        counter: charge.counter,
        limit: charge.limit,
        periodMs: charge.periodMs,
      })),
    };
    for (let tries = 0; ; tries++) {
      const reply = (await this.call(request)) as InspectReply;
      if ('result' in reply) return reply.result;
      if (tries >= SEED_TRIES) throw new CounterUnavailableError('budget counters could not be started');
      await this.seed(budgets, reply.missing, 0);
    }
  }

  noteUnmetered(): void {
    // The primary keeps the counters for the cluster's whole life (workers exit with it), so
    // nothing admitted unmetered during a slow answer needs folding back in.
  }

  async close(): Promise<void> {
    // The channel belongs to the worker process, not to the counters.
  }
}
