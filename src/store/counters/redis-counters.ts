import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisDriver } from '../drivers.js';
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
  type SpendSubject,
} from './counter-store.js';
import { SETTLE_GRACE_MS } from './counter-table.js';
import {
  ADMIT_SCRIPT,
  INSPECT_SCRIPT,
  RECONCILE_SCRIPT,
  SEED_SCRIPT,
  SETTLE_SCRIPT,
} from './redis-counter-scripts.js';

/** ioredis types ReplyError as any; Redis error replies are its instances. */
function isReplyError(error: unknown): error is Error {
  return error instanceof (redisDriver().ReplyError as new () => Error);
}

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS = {
  admit: script(ADMIT_SCRIPT),
  settle: script(SETTLE_SCRIPT),
  inspect: script(INSPECT_SCRIPT),
  seed: script(SEED_SCRIPT),
  reconcile: script(RECONCILE_SCRIPT),
};

/** Redis answers that mean "not available right now" rather than a bug in a script. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN)/;

const LIFETIME = Number.MAX_SAFE_INTEGER;

/**
 * Counters in Redis, shared by every instance: each admission and settlement is one Lua script
 * (one round trip, atomic). Budget counters that are missing (new window, or Redis lost its
 * data) are started from the durable spend ledger before admitting.
 */
export class RedisCounters implements CounterStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly seedSpent: SeedSpent;
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly unmetered = new Map<
    string,
    { subject: SpendSubject; window: { start: number; end: number } }
  >();
  private reconcileTimer: NodeJS.Timeout | undefined;
  private readonly onReady = (): void => this.scheduleReconcile();

  constructor(redis: Redis, seedSpent: SeedSpent, logger: Logger, options: { prefix?: string } = {}) {
    this.redis = redis;
    this.seedSpent = seedSpent;
    this.logger = logger;
    this.prefix = options.prefix ?? 'sy:';
    redis.on('ready', this.onReady);
  }

  private async run(
    which: keyof typeof SCRIPTS,
    keys: string[],
    args: Array<string | number>,
  ): Promise<unknown> {
    const { sha, source } = SCRIPTS[which];
    try {
      try {
        return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (isReplyError(error) && error.message.startsWith('NOSCRIPT'))
          return await this.redis.eval(source, keys.length, ...keys, ...args);
        throw error;
      }
    } catch (error) {
      if (isReplyError(error) && !TRANSIENT_REPLY.test(error.message)) throw error;
      throw new CounterUnavailableError(`Redis is unavailable: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private budgetKeys(counter: string): [string, string] {
    return [`${this.prefix}b:${counter}`, `${this.prefix}bz:${counter}`];
  }

  private expireAt(window: { end: number }, reservationTtlMs: number): number {
    return window.end >= LIFETIME ? 0 : window.end + reservationTtlMs + SETTLE_GRACE_MS;
  }

  private async seed(
    charges: readonly Omit<BudgetCharge, 'amountNano'>[],
    indexes: number[],
    reservationTtlMs: number,
  ): Promise<void> {
    await Promise.all(
      indexes.map(async (index) => {
        const charge = charges[index - 1]!;
        let spent: number;
        try {
          spent = await this.seedSpent(charge.subject, charge.window);
        } catch (error) {
          throw new CounterUnavailableError(
            `cannot read spend from the ledger: ${(error as Error).message}`,
            { cause: error },
          );
        }
        await this.run(
          'seed',
          [this.budgetKeys(charge.counter)[0]],
          [String(Math.round(spent)), this.expireAt(charge.window, reservationTtlMs)],
        );
      }),
    );
  }

  async admit(
    requestId: string,
    budgets: readonly BudgetCharge[],
    rates: readonly RateCharge[],
    reservationTtlMs: number,
  ): Promise<AdmitResult> {
    const keys = [`${this.prefix}req:${requestId}`];
    const args: Array<string | number> = [
      budgets.length,
      rates.length,
      requestId,
      reservationTtlMs,
      reservationTtlMs + SETTLE_GRACE_MS,
    ];
    for (const charge of budgets) {
      keys.push(...this.budgetKeys(charge.counter));
      args.push(
        Math.round(charge.limitNano),
        String(Math.max(0, Math.round(charge.amountNano))),
        this.expireAt(charge.window, reservationTtlMs),
      );
    }
    for (const charge of rates) {
      keys.push(`${this.prefix}r:${charge.counter}`);
      args.push(charge.limit, charge.periodMs, charge.cost, charge.kind === 'tokens' ? 1 : 0);
    }
    for (let tries = 0; ; tries++) {
      const reply = (await this.run('admit', keys, args)) as number[];
      if (reply[0] === 2) {
        if (tries >= 3) throw new CounterUnavailableError('budget counters could not be started');
        await this.seed(budgets, reply.slice(1), reservationTtlMs);
        continue;
      }
      const budgetStates: BudgetState[] = budgets.map((_, index) => ({
        spentNano: reply[4 + index * 2]!,
        reservedNano: reply[5 + index * 2]!,
      }));
      const offset = 4 + budgets.length * 2;
      const rateStates: RateState[] = rates.map((_, index) => ({
        remaining: reply[offset + index * 2]!,
        resetMs: reply[offset + index * 2 + 1]!,
      }));
      if (reply[0] === 0) return { admitted: true, budgets: budgetStates, rates: rateStates };
      const kind = reply[1] === 1 ? 'budget' : 'rate';
      const index = reply[2]! - 1;
      let retryAfterMs: number | undefined = reply[3]!;
      if (kind === 'budget') {
        const window = budgets[index]!.window;
        retryAfterMs = window.end >= LIFETIME ? undefined : Math.max(1, window.end - Date.now());
      }
      return {
        admitted: false,
        refusal: { kind, index, retryAfterMs },
        budgets: budgetStates,
        rates: rateStates,
      };
    }
  }

  async settle(
    requestId: string,
    budgets: readonly BudgetSettlement[],
    rates: readonly RateAdjustment[],
  ): Promise<void> {
    const keys = [`${this.prefix}req:${requestId}`];
    const args: Array<string | number> = [budgets.length, rates.length, requestId];
    for (const settlement of budgets) {
      keys.push(...this.budgetKeys(settlement.counter));
      args.push(
        String(Math.max(0, Math.round(settlement.reservedNano))),
        String(Math.max(0, Math.round(settlement.actualNano))),
      );
    }
    for (const adjustment of rates) {
      keys.push(`${this.prefix}r:${adjustment.counter}`);
      args.push(adjustment.limit, adjustment.periodMs, adjustment.delta);
    }
    await this.run('settle', keys, args);
  }

  async inspect(
    budgets: readonly Omit<BudgetCharge, 'amountNano'>[],
    rates: readonly Omit<RateCharge, 'cost'>[],
  ): Promise<{ budgets: BudgetState[]; rates: RateState[] }> {
    const keys: string[] = [];
    const args: Array<string | number> = [budgets.length, rates.length];
    for (const charge of budgets) keys.push(...this.budgetKeys(charge.counter));
    for (const charge of rates) {
      keys.push(`${this.prefix}r:${charge.counter}`);
      args.push(charge.limit, charge.periodMs);
    }
    for (let tries = 0; ; tries++) {
      const reply = (await this.run('inspect', keys, args)) as number[];
      if (reply[0] === 2) {
        if (tries >= 3) throw new CounterUnavailableError('budget counters could not be started');
        await this.seed(budgets, reply.slice(1), 600_000);
        continue;
      }
      const offset = 1 + budgets.length * 2;
      return {
        budgets: budgets.map((_, index) => ({
          spentNano: reply[1 + index * 2]!,
          reservedNano: reply[2 + index * 2]!,
        })),
        rates: rates.map((_, index) => ({
          remaining: reply[offset + index * 2]!,
          resetMs: reply[offset + index * 2 + 1]!,
        })),
      };
    }
  }

  noteUnmetered(budgets: readonly BudgetCharge[]): void {
    for (const charge of budgets)
      this.unmetered.set(charge.counter, { subject: charge.subject, window: charge.window });
  }

  /**
   * Redis is back: counters that survived the outage miss the spend admitted unmetered meanwhile.
   * Once the ledger has caught up, raise them to the ledger's figure.
   */
  private scheduleReconcile(delayMs = 1000): void {
    if (this.unmetered.size === 0) return;
    if (this.reconcileTimer !== undefined) return;
    this.reconcileTimer = setTimeout(() => {
      this.reconcileTimer = undefined;
      void this.reconcile();
    }, delayMs);
    this.reconcileTimer.unref();
  }

  private async reconcile(): Promise<void> {
    const pending = [...this.unmetered];
    for (const [counter, { subject, window }] of pending) {
      try {
        const spent = await this.seedSpent(subject, window);
        await this.run('reconcile', [this.budgetKeys(counter)[0]], [String(Math.round(spent))]);
        this.unmetered.delete(counter);
      } catch (error) {
        this.logger.warn(
          { err: error, counter },
          'could not reconcile a budget counter after an outage; will retry',
        );
        this.scheduleReconcile(5000);
        return;
      }
    }
  }

  async close(): Promise<void> {
    this.redis.off('ready', this.onReady);
    if (this.reconcileTimer !== undefined) clearTimeout(this.reconcileTimer);
  }
}
