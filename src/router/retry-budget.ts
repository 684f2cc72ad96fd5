/** Retry budget settings (routing.retryBudget). */
export interface RetryBudgetSettings {
  /** Retries allowed per request over the window. */
  ratio: number;
  /** Retries always allowed per second, so a quiet gateway can still retry. */
  minPerSecond: number;
  windowMs: number;
}

const BUCKETS = 10;

/**
 * Keeps retries to a share of traffic so an outage does not become a retry storm (Linkerd's
 * retry budget): over a sliding window, retries ≤ ratio × requests + minPerSecond × window.
 * Every attempt after a request's first counts as a retry (same target, next target, hedge).
 * Counts live in ten buckets, so recording is an array increment.
 */
export class RetryBudget {
  readonly settings: RetryBudgetSettings;
  private readonly requests = new Float64Array(BUCKETS);
  private readonly retries = new Float64Array(BUCKETS);
  private readonly epochs = new Float64Array(BUCKETS).fill(-1);
  private readonly bucketMs: number;
  private readonly now: () => number;

  constructor(settings: RetryBudgetSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.bucketMs = Math.max(1, settings.windowMs / BUCKETS);
    this.now = now;
  }

  private bucket(): number {
    const epoch = Math.floor(this.now() / this.bucketMs);
    const index = epoch % BUCKETS;
    if (this.epochs[index] !== epoch) {
      this.epochs[index] = epoch;
      this.requests[index] = 0;
      this.retries[index] = 0;
    }
    return index;
  }

  private totals(): { requests: number; retries: number } {
    const oldest = Math.floor(this.now() / this.bucketMs) - BUCKETS + 1;
    let requests = 0;
    let retries = 0;
    for (let index = 0; index < BUCKETS; index++) {
      if (this.epochs[index]! < oldest) continue;
      requests += this.requests[index]!;
      retries += this.retries[index]!;
    }
    return { requests, retries };
  }

  /** A request started (it may then retry). */
  recordRequest(): void {
    this.requests[this.bucket()]!++;
  }

  /** Take one retry from the budget; false when the budget is spent. */
  tryRetry(): boolean {
    const index = this.bucket();
    const { requests, retries } = this.totals();
    const allowed = this.settings.ratio * requests + (this.settings.minPerSecond * this.settings.windowMs) / 1000;
    if (retries + 1 > allowed) return false;
    this.retries[index]!++;
    return true;
  }

  snapshot(): { ratio: number; minPerSecond: number; windowMs: number; requests: number; retries: number; remaining: number } {
    const { requests, retries } = this.totals();
    const allowed = this.settings.ratio * requests + (this.settings.minPerSecond * this.settings.windowMs) / 1000;
    return { ...this.settings, requests, retries, remaining: Math.max(0, Math.floor(allowed - retries)) };
  }
}
