import type { Logger } from 'pino';
import type { GovernanceStore } from '../store/governance/governance-store.js';
import type { SpendRow } from './entities.js';

const MAX_BATCH = 500;
/** Rows kept while the store is down; beyond this the oldest are dropped (and logged). */
const MAX_PENDING = 100_000;

/**
 * The durable spend record, written off the response path: rows are batched (flushed on the
 * next turn of the event loop, or after `delayMs`), retried while the store is down, and flushed
 * on shutdown. Rows are idempotent on the request id, so a retried batch counts once.
 */
export class SpendLedger {
  private readonly store: GovernanceStore;
  private readonly logger: Logger;
  private readonly delayMs: number;
  private pending: SpendRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;

  constructor(store: GovernanceStore, logger: Logger, options: { delayMs?: number } = {}) {
    this.store = store;
    this.logger = logger;
    this.delayMs = options.delayMs ?? 0;
  }

  append(row: SpendRow): void {
    this.pending.push(row);
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING);
      this.logger.error({ dropped: dropped.length }, 'spend ledger backlog full; oldest rows dropped');
    }
    this.schedule();
  }

  get backlog(): number {
    return this.pending.length;
  }

  /** Rows accepted but not yet written (counted when a counter is started from the ledger). */
  pendingRows(): readonly SpendRow[] {
    return this.pending;
  }

  private schedule(delayMs = this.delayMs): void {
    if (this.flushing !== undefined || this.timer !== undefined || this.immediate !== undefined) return;
    if (delayMs === 0) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        void this.flush();
      });
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  /** Write everything pending now (also used at shutdown). */
  async flush(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    if (this.pending.length === 0) return;
    this.flushing = this.writeAll().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
    if (this.pending.length > 0)
      this.schedule(this.failures > 0 ? Math.min(250 * 2 ** this.failures, 5000) : this.delayMs);
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, MAX_BATCH);
      try {
        await this.store.appendSpend(batch);
      } catch (error) {
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0)
          this.logger.warn(
            { err: error, backlog: this.pending.length },
            'spend ledger write failed; will retry',
          );
        return;
      }
      this.failures = 0;
      this.pending.splice(0, batch.length);
    }
  }

  /** Stop timers after a final flush attempt. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    await this.flush();
    if (this.pending.length > 0) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.logger.error(
        { rows: this.pending.length },
        'spend rows could not be written before shutdown (store unavailable); they are lost',
      );
    }
  }
}
