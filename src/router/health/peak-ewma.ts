/**
 * Peak-EWMA latency (Finagle / Linkerd): a sample above the average replaces it at once, so a
 * target that slows down is noticed on its first slow answer; samples below it pull the average
 * down with an exponential weight of time constant `decayMs`. Without samples the score decays
 * toward zero, so a target that was slow is tried again after a while and measured afresh.
 */
export class PeakEwma {
  private value = 0;
  private last = 0;
  private count = 0;
  /** The decayed value, refreshed off the request path (see HealthRegistry.refreshScores). */
  score = 0;

  constructor(private readonly decayMs: number) {}

  get samples(): number {
    return this.count;
  }

  /** The average right after the last sample (not decayed). */
  get latencyMs(): number {
    return this.value;
  }

  observe(latencyMs: number, now: number): void {
    if (this.count === 0 || latencyMs > this.value) {
      this.value = latencyMs;
    } else {
      const weight = Math.exp(-Math.max(0, now - this.last) / this.decayMs);
      this.value = this.value * weight + latencyMs * (1 - weight);
    }
    this.last = now;
    this.count++;
    this.score = this.value;
  }

  /** Decay the score by the time since the last sample. */
  refresh(now: number): void {
    if (this.count === 0) return;
    this.score = this.value * Math.exp(-Math.max(0, now - this.last) / this.decayMs);
  }
}
