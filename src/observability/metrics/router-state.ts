import type { Router } from '../../router/router.js';

/**
 * What the router may report about its health (circuit breakers, per-provider queues), read on
 * each scrape through an optional `state()` method on the router. The routing layer implements
 * it; until then these metrics are simply empty.
 */
export interface RouterStateSnapshot {
  circuits?: Array<{
    provider: string;
    /** What the breaker guards within the provider (a model, a key name); absent: the provider. */
    target?: string;
    state: 'closed' | 'half-open' | 'open';
  }>;
  /** Requests waiting for a provider's concurrency slot. */
  queues?: Array<{ provider: string; depth: number }>;
}

export function readRouterState(router: Router): RouterStateSnapshot | undefined {
  const withState = router as Router & { state?: () => RouterStateSnapshot | undefined };
  try {
    return withState.state?.();
  } catch {
    return undefined;
  }
}

export const CIRCUIT_STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;
