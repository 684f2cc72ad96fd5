import type { UpstreamTimeouts } from '../transport/upstream-request.js';

/** One credential of a provider, after config validation and env resolution. */
export interface ProviderKey {
  /** Stable name used in logs, headers and metrics (never the secret). */
  name: string;
  /** The secret (API key, token). Absent for keyless providers (local servers). */
  value?: string;
  weight: number;
  /** Model name patterns this key may serve ("*" wildcards); absent means all. */
  models?: string[];
  /** Model name patterns this key must never serve; wins over `models`. */
  denyModels?: string[];
  /** Type-specific key fields (AWS access keys, region, ...). */
  options: Record<string, unknown>;
}

/** A configured provider, validated, with defaults applied. */
export interface ProviderSettings {
  id: string;
  type: string;
  baseUrl: string;
  /** `baseUrl` split once at start-up: scheme+host+port, and the path prefix. */
  origin: string;
  basePath: string;
  /** Extra headers sent on every upstream request. */
  headers: Record<string, string>;
  timeouts: UpstreamTimeouts;
  keys: ProviderKey[];
  /** Model names or patterns this provider serves, beyond its built-in patterns. */
  models: string[];
  /** Forward bytes unchanged when the client already speaks this provider's dialect. */
  passthrough: boolean;
  maxConnections?: number;
  /** Retry policy as configured (durations in ms); the router applies defaults (docs/routing.md). */
  retry?: {
    attempts?: number;
    initialDelay?: number;
    maxDelay?: number;
    multiplier?: number;
    maxRetryAfter?: number;
  };
  /** Circuit breaking / outlier ejection as configured (durations in ms); router defaults apply. */
  circuitBreaker?: {
    enabled?: boolean;
    consecutiveFailures?: number;
    failureRate?: number;
    minRequests?: number;
    window?: number;
    ejectFor?: number;
    maxEjectFor?: number;
    halfOpenProbes?: number;
  };
  /** In-flight limit and bounded queue as configured (durations in ms); router defaults apply. */
  concurrency?: { maxInFlight?: number; queue?: number; queueTimeout?: number };
  /** Type-specific provider fields, validated by the provider definition's schema. */
  options: Record<string, unknown>;
}
