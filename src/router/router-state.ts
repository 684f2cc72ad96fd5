import type { CircuitSnapshot } from './health/circuit-breaker.js';
import type { KeyProblem } from './health/health-registry.js';

/**
 * A plain snapshot of routing health, for GET /api/router/state and for metrics gauges.
 * Times are epoch milliseconds.
 */
export interface RouterState {
  at: number;
  providers: Array<{
    provider: string;
    circuit: CircuitSnapshot;
    /** Attempts holding one of the provider's slots (streams hold theirs until they end). */
    inFlight: number;
    /** Attempts waiting for a slot. */
    queued: number;
    maxInFlight: number;
    queueLimit: number;
  }>;
  keys: Array<{
    provider: string;
    key: string;
    circuit: CircuitSnapshot;
    inFlight: number;
    /** Cooling down after a 429 with a reset time, until then. */
    coolingUntil?: number;
    /** The key was refused (401/403) and has not succeeded since. */
    unhealthy?: KeyProblem;
  }>;
  models: Array<{
    provider: string;
    model: string;
    circuit: CircuitSnapshot;
    inFlight: number;
    /** Peak-EWMA latency to the first byte (streams: first content), null before any sample. */
    latencyMs: number | null;
    samples: number;
    /** Blended price per million tokens used by the "cost" strategy; null when unknown. */
    price: number | null;
  }>;
  retryBudget: { ratio: number; minPerSecond: number; windowMs: number; requests: number; retries: number; remaining: number };
  /**
   * Every circuit flattened for metrics gauges: `target` absent for the provider's own breaker,
   * the model id for a model's, `key:<name>` for a key's.
   */
  circuits: Array<{ provider: string; target?: string; state: CircuitSnapshot['state'] }>;
  /** Queue depth per provider, for metrics gauges. */
  queues: Array<{ provider: string; depth: number }>;
}
