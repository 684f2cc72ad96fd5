import type { ProviderSettings } from '../../providers/provider-settings.js';

/** Circuit breaking settings with defaults applied (providers.<id>.circuitBreaker). */
export interface CircuitSettings {
  enabled: boolean;
  /** This many failures in a row eject. */
  consecutiveFailures: number;
  /** A failure share at or above this over the window ejects (once minRequests were seen). */
  failureRate: number;
  minRequests: number;
  windowMs: number;
  /** First ejection length; each further ejection doubles it, up to maxEjectForMs. */
  ejectForMs: number;
  maxEjectForMs: number;
  /** Requests let through at once to probe an ejected target when its interval has passed. */
  halfOpenProbes: number;
}

export const DEFAULT_CIRCUIT_SETTINGS: CircuitSettings = {
  enabled: true,
  consecutiveFailures: 5,
  failureRate: 0.5,
  minRequests: 20,
  windowMs: 30_000,
  ejectForMs: 5_000,
  maxEjectForMs: 300_000,
  halfOpenProbes: 1,
};

export function circuitSettingsFor(settings: ProviderSettings): CircuitSettings {
  const configured = settings.circuitBreaker;
  if (configured === undefined) return DEFAULT_CIRCUIT_SETTINGS;
  const defaults = DEFAULT_CIRCUIT_SETTINGS;
  return {
    enabled: configured.enabled ?? defaults.enabled,
    consecutiveFailures: configured.consecutiveFailures ?? defaults.consecutiveFailures,
    failureRate: configured.failureRate ?? defaults.failureRate,
    minRequests: configured.minRequests ?? defaults.minRequests,
    windowMs: configured.window ?? defaults.windowMs,
    ejectForMs: configured.ejectFor ?? defaults.ejectForMs,
    maxEjectForMs: Math.max(configured.maxEjectFor ?? defaults.maxEjectForMs, configured.ejectFor ?? defaults.ejectForMs),
    halfOpenProbes: configured.halfOpenProbes ?? defaults.halfOpenProbes,
  };
}
