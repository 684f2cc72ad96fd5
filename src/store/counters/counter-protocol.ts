import type { AdmitResult, BudgetState, RateState } from './counter-store.js';
import type {
  TableBudgetCharge,
  TableBudgetSettlement,
  TableRateAdjustment,
  TableRateCharge,
} from './counter-table.js';

/** The service name of the counters on the cluster channel. */
export const COUNTER_SERVICE = 'counters';

/**
 * What a worker asks of the counters the cluster primary keeps (`CounterHost`). Charges carry
 * only what the table reads: the subject and window start stay in the worker, which seeds
 * missing budget counters from its ledger and retries, as with Redis.
 */
export type CounterRequest =
  | {
      op: 'admit';
      requestId: string;
      budgets: TableBudgetCharge[];
      rates: TableRateCharge[];
      reservationTtlMs: number;
    }
  | { op: 'settle'; requestId: string; budgets: TableBudgetSettlement[]; rates: TableRateAdjustment[] }
  | {
      op: 'inspect';
      budgets: Array<{ counter: string }>;
      rates: Array<Pick<TableRateCharge, 'counter' | 'limit' | 'periodMs'>>;
    }
  | { op: 'seed'; counter: string; spent: number; dropAfter: number };

/** Indexes of budget counters to seed first, or the answer. */
export type CounterReply<T> = { missing: number[] } | { result: T };

export type AdmitReply = CounterReply<AdmitResult>;
export type InspectReply = CounterReply<{ budgets: BudgetState[]; rates: RateState[] }>;
