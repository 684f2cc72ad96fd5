import type { SpendScope } from '../../governance/entities.js';

/** Whose spend a budget counter holds (for seeding it from the durable ledger). */
export interface SpendSubject {
  scope: SpendScope;
  id: string;
}

/** A budget to reserve against: one subject, one budget, one window. */
export interface BudgetCharge {
  /** Counter id (subject, period, window start). */
  counter: string;
  subject: SpendSubject;
  window: { start: number; end: number };
  limitNano: number;
  /** The reservation (the request's estimated cost). */
  amountNano: number;
}

/** A rate limit to take from (GCRA). */
export interface RateCharge {
  counter: string;
  subject: SpendSubject;
  kind: 'requests' | 'tokens';
  limit: number;
  periodMs: number;
  cost: number;
}

export interface BudgetState {
  spentNano: number;
  reservedNano: number;
}

export interface RateState {
  /** What is left now (after this request when admitted). */
  remaining: number;
  /** Until the limit is fully replenished. */
  resetMs: number;
}

export interface AdmitResult {
  admitted: boolean;
  /** Which charge refused, and when trying again may succeed (undefined: not before a reset that never comes). */
  refusal?: { kind: 'budget' | 'rate'; index: number; retryAfterMs: number | undefined };
  budgets: BudgetState[];
  rates: RateState[];
}

export interface BudgetSettlement {
  counter: string;
  subject: SpendSubject;
  window: { start: number; end: number };
  reservedNano: number;
  actualNano: number;
}

export interface RateAdjustment {
  counter: string;
  limit: number;
  periodMs: number;
  /** Real minus estimated tokens (negative gives back). */
  delta: number;
}

/**
 * Budget and rate-limit counters. `admit` is atomic over all its charges: either every budget
 * gets its reservation and every rate limit its cost, or nothing changes. Budgets admit while
 * spent + reserved is below the limit, so concurrent requests overshoot a budget by at most one
 * reservation. Settlement replaces a reservation by the real cost, once per request id.
 */
export interface CounterStore {
  readonly kind: 'memory' | 'redis' | 'cluster';
  admit(
    requestId: string,
    budgets: readonly BudgetCharge[],
    rates: readonly RateCharge[],
    reservationTtlMs: number,
  ): Promise<AdmitResult>;
  settle(
    requestId: string,
    budgets: readonly BudgetSettlement[],
    rates: readonly RateAdjustment[],
  ): Promise<void>;
  /** Current state without taking anything. */
  inspect(
    budgets: readonly Omit<BudgetCharge, 'amountNano'>[],
    rates: readonly Omit<RateCharge, 'cost'>[],
  ): Promise<{ budgets: BudgetState[]; rates: RateState[] }>;
  /** Spend that bypassed the counters while they were down; folded back in when they return. */
  noteUnmetered(budgets: readonly BudgetCharge[]): void;
  close(): Promise<void>;
}

/** The counter store cannot be reached; callers apply the configured fail mode. */
export class CounterUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CounterUnavailableError';
  }
}

/** Reads durable spend of a subject in a window (to start a counter that was lost or is new). */
export type SeedSpent = (subject: SpendSubject, window: { start: number; end: number }) => Promise<number>;
