import type { Logger } from 'pino';
import type { LogStore } from '../../store/logs/log-store.js';

export interface RetentionOptions {
  maxAgeMs: number;
  maxBytes: number;
  intervalMs: number;
}

/** Over the size bound, shrink to this share of it, so retention does not run on every pass. */
const SHRINK_TARGET = 0.9;

/**
 * Retention of the request log: by age (older records deleted) and by size (oldest records
 * deleted until the store is under its bound), on a timer and once shortly after start.
 */
export class LogRetention {
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  private running: Promise<{ byAge: number; bySize: number }> | undefined;
  lastRun: { at: number; byAge: number; bySize: number } | undefined;

  constructor(
    private readonly store: LogStore,
    private readonly options: RetentionOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const tick = (): void => {
      this.run().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'request log retention failed; will retry'),
      );
    };
    this.first = setTimeout(tick, Math.min(this.options.intervalMs, 10_000));
    this.first.unref();
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
  }

  /** Run once now (concurrent calls share one run). */
  run(): Promise<{ byAge: number; bySize: number }> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<{ byAge: number; bySize: number }> {
    const byAge = await this.store.deleteOlderThan(Date.now() - this.options.maxAgeMs);
    let bySize = 0;
    if ((await this.store.sizeBytes()) > this.options.maxBytes)
      bySize = await this.store.shrinkTo(Math.floor(this.options.maxBytes * SHRINK_TARGET));
    if (byAge + bySize > 0) this.logger.info({ byAge, bySize }, 'request log retention deleted records');
    this.lastRun = { at: Date.now(), byAge, bySize };
    return { byAge, bySize };
  }

  stop(): void {
    clearTimeout(this.first);
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Wait for a pass in progress (shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
