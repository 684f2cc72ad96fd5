import type { GatewayError } from '../../core/index.js';
import type { ProviderKey } from '../../providers/provider-settings.js';
import type { Provider } from '../../providers/provider.js';
import { classifyFailure } from '../classify-failure.js';
import { targetId, type Target } from '../target.js';
import { CircuitBreaker, type Admission, type CircuitSnapshot } from './circuit-breaker.js';
import { circuitSettingsFor } from './circuit-settings.js';
import { TargetStats } from './target-stats.js';

/** How one attempt passed the breakers of its provider, model and key. */
export interface Admissions {
  provider: Admission;
  model: Admission;
  key: Admission | undefined;
}

/** A key that answered 401/403, reported until it succeeds again. */
export interface KeyProblem {
  status: number;
  code: string;
  message: string;
  at: number;
}

export interface HealthOptions {
  /** Time constant of the latency score (routing.latencyDecay). */
  latencyDecayMs: number;
  /** Blended price per million tokens of a target, Infinity when unknown. */
  priceOf(target: Target): number;
  now?: () => number;
  /** Told when a key is refused (401/403) so it can be logged. */
  onKeyProblem?(provider: string, key: string, problem: KeyProblem): void;
}

/**
 * Health of every provider, key and model: a circuit breaker for each, in-flight counts, the
 * latency score, keys cooling down after a 429 with a reset time, and keys that were refused.
 * Balancing and key selection read it; the circuit-breaker interceptor writes it.
 */
export class HealthRegistry {
  private readonly options: HealthOptions;
  private readonly now: () => number;
  private readonly providers = new Map<string, CircuitBreaker>();
  private readonly models = new Map<string, CircuitBreaker>();
  private readonly keys = new Map<string, CircuitBreaker>();
  private readonly stats = new Map<string, TargetStats>();
  private readonly keyInFlight = new Map<string, number>();
  private readonly coolingUntil = new Map<string, number>();
  private readonly keyProblems = new Map<string, KeyProblem>();
  /** Per provider id: its models whose last outcome was a success, with the time of it. */
  private readonly servingModels = new Map<string, Map<string, number>>();
  /** Circuits open or half-open right now; zero means nothing needs routing around. */
  openCircuits = 0;

  constructor(options: HealthOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  private breaker(map: Map<string, CircuitBreaker>, id: string, provider: Provider): CircuitBreaker {
    let breaker = map.get(id);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(circuitSettingsFor(provider.settings), this.now);
      breaker.onChange = (open) => {
        this.openCircuits += open ? 1 : -1;
      };
      map.set(id, breaker);
    }
    return breaker;
  }

  private providerBreaker(provider: Provider): CircuitBreaker {
    return this.breaker(this.providers, provider.id, provider);
  }

  private modelBreaker(target: Target): CircuitBreaker {
    return this.breaker(this.models, targetId(target), target.provider);
  }

  private keyBreaker(provider: Provider, key: ProviderKey): CircuitBreaker {
    return this.breaker(this.keys, `${provider.id}/${key.name}`, provider);
  }

  statsFor(target: Target): TargetStats {
    const id = targetId(target);
    let stats = this.stats.get(id);
    if (stats === undefined) {
      stats = new TargetStats(this.options.latencyDecayMs, this.options.priceOf(target));
      this.stats.set(id, stats);
    }
    return stats;
  }

  /** Neither the provider's nor the model's circuit rejects an attempt now. */
  targetAvailable(target: Target): boolean {
    if (this.openCircuits === 0) return true;
    return this.providerBreaker(target.provider).available() && this.modelBreaker(target).available();
  }

  /** Milliseconds until an ejected target admits a probe. */
  targetRemainingMs(target: Target): number {
    return Math.max(this.providerBreaker(target.provider).remainingMs(), this.modelBreaker(target).remainingMs());
  }

  /** The key's circuit admits an attempt and it is not cooling down after a 429. */
  keyAvailable(provider: Provider, key: ProviderKey): boolean {
    const id = `${provider.id}/${key.name}`;
    const until = this.coolingUntil.get(id);
    if (until !== undefined) {
      if (this.now() < until) return false;
      this.coolingUntil.delete(id);
    }
    return this.openCircuits === 0 || this.keyBreaker(provider, key).available();
  }

  /** Milliseconds until an unavailable key may be used again (for picking the least bad one). */
  keyRemainingMs(provider: Provider, key: ProviderKey): number {
    const id = `${provider.id}/${key.name}`;
    const cooling = Math.max(0, (this.coolingUntil.get(id) ?? 0) - this.now());
    return Math.max(cooling, this.keyBreaker(provider, key).remainingMs());
  }

  /**
   * Admit an attempt through the provider, model and key breakers; `force` admits through open
   * circuits (the request may not route around them). Undefined when a breaker rejects.
   */
  admit(target: Target, key: ProviderKey | undefined, force: boolean): Admissions | undefined {
    const provider = this.providerBreaker(target.provider);
    const model = this.modelBreaker(target);
    const keyBreaker = key === undefined ? undefined : this.keyBreaker(target.provider, key);
    if (!force && (!provider.available() || !model.available())) return undefined;
    const admissions: Admissions = {
      provider: provider.admitForced(),
      model: model.admitForced(),
      key: keyBreaker?.admitForced(),
    };
    const stats = this.statsFor(target);
    stats.inFlight++;
    if (key !== undefined) this.keyInFlight.set(`${target.provider.id}/${key.name}`, (this.keyInFlight.get(`${target.provider.id}/${key.name}`) ?? 0) + 1);
    return admissions;
  }

  /** The attempt's request is over (failed, or its response ended): drop the in-flight counts. */
  finished(target: Target, key: ProviderKey | undefined): void {
    this.statsFor(target).inFlight--;
    if (key !== undefined) {
      const id = `${target.provider.id}/${key.name}`;
      this.keyInFlight.set(id, (this.keyInFlight.get(id) ?? 1) - 1);
    }
  }

  success(target: Target, key: ProviderKey | undefined, admissions: Admissions, latencyMs: number): void {
    this.providerBreaker(target.provider).success(admissions.provider);
    this.modelBreaker(target).success(admissions.model);
    const now = this.now();
    let serving = this.servingModels.get(target.provider.id);
    if (serving === undefined) this.servingModels.set(target.provider.id, (serving = new Map()));
    serving.set(target.model, now);
    if (key !== undefined && admissions.key !== undefined) {
      this.keyBreaker(target.provider, key).success(admissions.key);
      this.keyProblems.delete(`${target.provider.id}/${key.name}`);
    }
    this.statsFor(target).latency.observe(latencyMs, now);
  }

  /** Record a failed attempt on the breakers it says something about. */
  failure(target: Target, key: ProviderKey | undefined, admissions: Admissions, error: GatewayError, latencyMs: number): void {
    const provider = this.providerBreaker(target.provider);
    const model = this.modelBreaker(target);
    const keyBreaker = key === undefined ? undefined : this.keyBreaker(target.provider, key);
    const kind = classifyFailure(error);
    if (kind === 'transient') {
      model.failure(admissions.model);
      if (this.anotherModelServing(target)) provider.release(admissions.provider);
      else provider.failure(admissions.provider);
      if (admissions.key !== undefined) keyBreaker?.release(admissions.key);
      // A timeout is a latency sample too: the target is at least this slow.
      if (error.code === 'upstream_timeout') this.statsFor(target).latency.observe(latencyMs, this.now());
      return;
    }
    provider.release(admissions.provider);
    model.release(admissions.model);
    if (keyBreaker === undefined || admissions.key === undefined || key === undefined) return;
    const id = `${target.provider.id}/${key.name}`;
    if (kind === 'key-auth' || kind === 'key-quota') {
      keyBreaker.failure(admissions.key, { immediate: true });
      const problem: KeyProblem = { status: error.upstream?.status ?? error.status, code: error.code, message: error.message.slice(0, 200), at: this.now() };
      if (kind === 'key-auth' && !this.keyProblems.has(id)) this.options.onKeyProblem?.(target.provider.id, key.name, problem);
      this.keyProblems.set(id, problem);
    } else if (kind === 'key-rate') {
      keyBreaker.failure(admissions.key);
      if (error.retryAfterMs !== undefined && error.retryAfterMs > 0) this.coolingUntil.set(id, this.now() + error.retryAfterMs);
    } else {
      keyBreaker.release(admissions.key);
    }
  }

  /**
   * After a transient failure of `target`: whether another model of its provider is serving
   * (its last outcome, within the breaker window, was a success). Then the failure is the
   * model's alone and only its breaker counts it; otherwise it counts against the provider too.
   */
  private anotherModelServing(target: Target): boolean {
    const serving = this.servingModels.get(target.provider.id);
    if (serving === undefined) return false;
    serving.delete(target.model);
    const since = this.now() - circuitSettingsFor(target.provider.settings).windowMs;
    for (const [model, at] of serving) {
      if (at >= since) return true;
      serving.delete(model);
    }
    return false;
  }

  /** An admitted attempt was cancelled or failed for a reason that says nothing about health. */
  release(target: Target, key: ProviderKey | undefined, admissions: Admissions): void {
    this.providerBreaker(target.provider).release(admissions.provider);
    this.modelBreaker(target).release(admissions.model);
    if (key !== undefined && admissions.key !== undefined) this.keyBreaker(target.provider, key).release(admissions.key);
  }

  /** Decay latency scores (called on a timer, off the request path). */
  refreshScores(): void {
    const now = this.now();
    for (const stats of this.stats.values()) stats.latency.refresh(now);
  }

  providerCircuit(provider: Provider): CircuitSnapshot {
    return this.providerBreaker(provider).snapshot();
  }

  keyState(provider: Provider, key: ProviderKey): { circuit: CircuitSnapshot; inFlight: number; coolingUntil?: number; problem?: KeyProblem } {
    const id = `${provider.id}/${key.name}`;
    const cooling = this.coolingUntil.get(id);
    const problem = this.keyProblems.get(id);
    return {
      circuit: this.keyBreaker(provider, key).snapshot(),
      inFlight: this.keyInFlight.get(id) ?? 0,
      ...(cooling !== undefined && cooling > this.now() ? { coolingUntil: cooling } : {}),
      ...(problem === undefined ? {} : { problem }),
    };
  }

  /** Every model target seen so far, with its circuit and numbers. */
  modelStates(): Array<{ id: string; circuit: CircuitSnapshot; stats: TargetStats }> {
    const out: Array<{ id: string; circuit: CircuitSnapshot; stats: TargetStats }> = [];
    for (const [id, stats] of this.stats) {
      const breaker = this.models.get(id);
      out.push({ id, circuit: breaker?.snapshot() ?? closedSnapshot(), stats });
    }
    return out;
  }
}

function closedSnapshot(): CircuitSnapshot {
  return { state: 'closed', consecutiveFailures: 0, windowRequests: 0, windowFailures: 0, ejections: 0, probesInFlight: 0 };
}
