import type { CircuitSettings } from './circuit-settings.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** A plain view of one breaker, for /api/router/state and metrics. */
export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** Attempts and failures in the failure-rate window. */
  windowRequests: number;
  windowFailures: number;
  /** Times ejected since it was last healthy for maxEjectFor. */
  ejections: number;
  /** Epoch ms when an open circuit lets a probe through. */
  openUntil?: number;
  probesInFlight: number;
}

/**
 * How an attempt passed the breaker: normally, as a half-open probe, or forced through an open
 * circuit (when routing around it would eject more than the allowed share of targets).
 */
export type Admission = 'pass' | 'probe' | 'forced';

const BUCKETS = 10;

/**
 * One circuit breaker / outlier detector (for a provider, a key or a model). Closed: everything
 * passes and outcomes are counted. It opens on `consecutiveFailures` failures in a row, or when
 * the failure share over the window reaches `failureRate`; an open circuit rejects for an
 * interval that doubles with each ejection (capped), then turns half-open and lets
 * `halfOpenProbes` attempts through: a success closes it, a failure opens it again for longer.
 */
export class CircuitBreaker {
  private readonly settings: CircuitSettings;
  private readonly now: () => number;
  private state: CircuitState = 'closed';
  private consecutive = 0;
  private ejections = 0;
  private openUntil = 0;
  private closedAt = 0;
  private probes = 0;
  private readonly totals = new Float64Array(BUCKETS);
  private readonly failures = new Float64Array(BUCKETS);
  private readonly epochs = new Float64Array(BUCKETS).fill(-1);
  /** Called when the circuit opens or closes (the registry keeps a count of open circuits). */
  onChange: ((open: boolean) => void) | undefined;

  constructor(settings: CircuitSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.now = now;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Open or half-open (counted as ejected while probing). */
  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  /** Milliseconds until an open circuit admits a probe (0 when it admits now). */
  remainingMs(): number {
    return this.state === 'open' ? Math.max(0, this.openUntil - this.now()) : 0;
  }

  /** Whether an attempt would be admitted now (no side effects). */
  available(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' && this.now() < this.openUntil) return false;
    return this.probes < this.settings.halfOpenProbes;
  }

  /** Admit an attempt: 'probe' when it is a half-open probe, undefined when rejected. */
  admit(): Admission | undefined {
    if (this.state === 'closed') return 'pass';
    if (this.state === 'open') {
      if (this.now() < this.openUntil) return undefined;
      this.state = 'half-open';
    }
    if (this.probes >= this.settings.halfOpenProbes) return undefined;
    this.probes++;
    return 'probe';
  }

  /** Admit even when the circuit rejects (the caller may not route around this target). */
  admitForced(): Admission {
    return this.admit() ?? 'forced';
  }

  success(admission: Admission): void {
    this.count(false);
    this.consecutive = 0;
    if (admission === 'probe') this.probes = Math.max(0, this.probes - 1);
    if (admission !== 'pass' && this.state !== 'closed') this.close();
  }

  failure(admission: Admission, options: { immediate?: boolean } = {}): void {
    if (!this.settings.enabled) return;
    const [requests, failed] = this.count(true);
    this.consecutive++;
    if (admission === 'probe') this.probes = Math.max(0, this.probes - 1);
    if (admission !== 'pass') {
      if (this.state === 'half-open') this.open();
      return;
    }
    if (this.state !== 'closed') return;
    const settings = this.settings;
    if (
      options.immediate === true ||
      this.consecutive >= settings.consecutiveFailures ||
      (requests >= settings.minRequests && failed / requests >= settings.failureRate)
    ) {
      this.open();
    }
  }

  /** An admitted attempt ended without a verdict (cancelled, client error): free its probe slot. */
  release(admission: Admission): void {
    if (admission === 'probe') this.probes = Math.max(0, this.probes - 1);
  }

  private open(): void {
    const now = this.now();
    // The interval starts again from ejectFor once the target stayed healthy for maxEjectFor.
    if (this.closedAt > 0 && now - this.closedAt > this.settings.maxEjectForMs) this.ejections = 0;
    this.ejections++;
    const interval = Math.min(this.settings.maxEjectForMs, this.settings.ejectForMs * 2 ** (this.ejections - 1));
    const wasClosed = this.state === 'closed';
    this.state = 'open';
    this.openUntil = now + interval;
    if (wasClosed) this.onChange?.(true);
  }

  private close(): void {
    this.state = 'closed';
    this.consecutive = 0;
    this.closedAt = this.now();
    this.epochs.fill(-1);
    this.onChange?.(false);
  }

  /** Count an outcome in the window; returns the window totals including it. */
  private count(failed: boolean): [number, number] {
    const bucketMs = Math.max(1, this.settings.windowMs / BUCKETS);
    const epoch = Math.floor(this.now() / bucketMs);
    const index = epoch % BUCKETS;
    if (this.epochs[index] !== epoch) {
      this.epochs[index] = epoch;
      this.totals[index] = 0;
      this.failures[index] = 0;
    }
    this.totals[index]!++;
    if (failed) this.failures[index]!++;
    return this.window(epoch);
  }

  private window(epoch = Math.floor(this.now() / Math.max(1, this.settings.windowMs / BUCKETS))): [number, number] {
    let requests = 0;
    let failed = 0;
    for (let index = 0; index < BUCKETS; index++) {
      if (this.epochs[index]! <= epoch - BUCKETS) continue;
      requests += this.totals[index]!;
      failed += this.failures[index]!;
    }
    return [requests, failed];
  }

  snapshot(): CircuitSnapshot {
    if (this.state === 'open' && this.now() >= this.openUntil) this.state = 'half-open';
    const [windowRequests, windowFailures] = this.window();
    return {
      state: this.state,
      consecutiveFailures: this.consecutive,
      windowRequests,
      windowFailures,
      ejections: this.ejections,
      ...(this.state === 'closed' ? {} : { openUntil: this.openUntil }),
      probesInFlight: this.probes,
    };
  }
}
