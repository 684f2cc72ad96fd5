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
  /** Type-specific provider fields, validated by the provider definition's schema. */
  options: Record<string, unknown>;
}
