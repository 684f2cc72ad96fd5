import type { CounterRequest, CounterReply } from './counter-protocol.js';
import { CounterTable } from './counter-table.js';

/**
 * The counters of a whole cluster (`--workers N` without Redis), kept by the primary: one
 * table, one clock, so a rate limit or a budget holds across every worker exactly as in one
 * process. Workers reach it over the cluster channel (`ClusterCounters`); each request is
 * answered synchronously, in arrival order.
 */
export class CounterHost {
  private readonly table = new CounterTable();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.table.sweep(this.now()), 60_000);
    this.sweeper.unref();
  }

  handle(request: CounterRequest): CounterReply<unknown> | undefined {
    switch (request.op) {
      case 'admit': {
        const missing = this.table.missing(request.budgets);
        if (missing.length > 0) return { missing };
        return {
          result: this.table.admit(
            request.requestId,
            request.budgets,
            request.rates,
            request.reservationTtlMs,
            this.now(),
          ),
        };
      }
      case 'inspect': {
        const missing = this.table.missing(request.budgets);
        if (missing.length > 0) return { missing };
        return { result: this.table.inspect(request.budgets, request.rates, this.now()) };
      }
      case 'settle':
        this.table.settle(request.requestId, request.budgets, request.rates, this.now());
        return undefined;
      case 'seed':
        this.table.seed(request.counter, request.spent, request.dropAfter);
        return undefined;
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
