import { GatewayError } from '../core/index.js';
import type { ProviderSettings } from '../providers/provider-settings.js';
import { scheduleCoarse, type CoarseTimer } from './coarse-timers.js';

/** Isolation settings with defaults applied (providers.<id>.concurrency). */
export interface ConcurrencySettings {
  maxInFlight: number;
  /** Attempts that may wait for a slot; beyond this they are refused at once. */
  queue: number;
  queueTimeoutMs: number;
}

export const DEFAULT_CONCURRENCY: ConcurrencySettings = { maxInFlight: 256, queue: 512, queueTimeoutMs: 30_000 };

export function concurrencyFor(settings: ProviderSettings): ConcurrencySettings {
  const configured = settings.concurrency;
  return {
    maxInFlight: configured?.maxInFlight ?? settings.maxConnections ?? DEFAULT_CONCURRENCY.maxInFlight,
    queue: configured?.queue ?? DEFAULT_CONCURRENCY.queue,
    queueTimeoutMs: configured?.queueTimeout ?? DEFAULT_CONCURRENCY.queueTimeoutMs,
  };
}

interface Waiter {
  grant(): void;
  fail(error: unknown): void;
  timer: CoarseTimer | undefined;
  signal: AbortSignal;
  onAbort: () => void;
  done: boolean;
}

/** Suggested wait in the retry-after of a refused request. */
const BUSY_RETRY_AFTER_MS = 1000;

/** Abandoned entries tolerated in the queue array before it is compacted (see abandon()). */
const COMPACT_AFTER = 32;

/**
 * Per-provider isolation: at most `maxInFlight` attempts at once, a FIFO queue of at most
 * `queue` waiting attempts, and a fast 429 (queue_full, with retry-after) beyond that. Memory
 * stays bounded however slow the provider gets, and other providers are not starved.
 */
export class ProviderLimiter {
  readonly provider: string;
  readonly settings: ConcurrencySettings;
  inFlight = 0;
  private waiting: Waiter[] = [];
  private head = 0;
  private live = 0;
  /** Entries after `head` whose waiter timed out or was aborted (skipped, then compacted away). */
  private abandoned = 0;

  constructor(provider: string, settings: ConcurrencySettings) {
    this.provider = provider;
    this.settings = settings;
  }

  /** Attempts waiting for a slot. */
  get queued(): number {
    return this.live;
  }

  /**
   * Entries the queue holds, live and abandoned: never more than about twice the live ones
   * (plus COMPACT_AFTER), however many waiters time out or are aborted while slots are stuck.
   */
  get retained(): number {
    return this.waiting.length - this.head;
  }

  /** Take a slot now (true), or undefined when the caller must wait with acquire(). */
  tryAcquire(): boolean {
    if (this.inFlight < this.settings.maxInFlight) {
      this.inFlight++;
      return true;
    }
    return false;
  }

  /**
   * Wait for a slot: in order, up to the queue timeout (or `maxWaitMs`, the request's deadline),
   * or until the signal aborts. Refused at once when the queue is full.
   */
  acquire(signal: AbortSignal, maxWaitMs: number): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    if (this.queued >= this.settings.queue) return Promise.reject(this.busy('its queue is full'));
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        done: false,
        timer: undefined,
        signal,
        grant: () => {
          if (waiter.done) return;
          waiter.done = true;
          this.live--;
          waiter.timer?.cancel();
          signal.removeEventListener('abort', waiter.onAbort);
          resolve();
        },
        fail: (error) => {
          if (waiter.done) return;
          waiter.done = true;
          this.live--;
          waiter.timer?.cancel();
          signal.removeEventListener('abort', waiter.onAbort);
          this.abandon();
          reject(error);
        },
        onAbort: () => waiter.fail(signal.reason),
      };
      const wait = Math.min(this.settings.queueTimeoutMs, Math.max(0, maxWaitMs));
      waiter.timer = scheduleCoarse(wait, () => waiter.fail(this.busy(`no slot freed within ${Math.round(wait)} ms`)));
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
      this.live++;
    });
  }

  /** Give the slot back; the first live waiter gets it. */
  release(): void {
    while (this.head < this.waiting.length) {
      const waiter = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as unknown as Waiter;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      if (waiter.done) {
        this.abandoned--;
        continue;
      }
      waiter.grant();
      return;
    }
    this.waiting.length = 0;
    this.head = 0;
    this.abandoned = 0;
    this.inFlight--;
  }

  /**
   * A waiter left the queue (timed out or aborted). Its entry stays until release() passes it
   * or, once abandoned entries are the majority, the queue is compacted: each compaction copies
   * fewer entries than it drops, so this is O(1) amortised and the array stays bounded even
   * while no slot is ever released.
   */
  private abandon(): void {
    this.abandoned++;
    if (this.abandoned <= COMPACT_AFTER || this.abandoned * 2 <= this.retained) return;
    const live: Waiter[] = [];
    for (let index = this.head; index < this.waiting.length; index++) {
      const waiter = this.waiting[index]!;
      if (!waiter.done) live.push(waiter);
    }
    this.waiting = live;
    this.head = 0;
    this.abandoned = 0;
  }

  private busy(why: string): GatewayError {
    return new GatewayError({
      code: 'queue_full',
      status: 429,
      retryable: true,
      retryAfterMs: BUSY_RETRY_AFTER_MS,
      message: `Provider "${this.provider}" is at its limit of ${this.settings.maxInFlight} requests in flight and ${why}; retry later.`,
    });
  }
}
