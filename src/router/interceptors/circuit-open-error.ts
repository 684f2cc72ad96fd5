import { GatewayError } from '../../core/index.js';
import type { Target } from '../target.js';

/** A target skipped because its circuit is open: 503 with the time until it is probed again. */
export function circuitOpenError(target: Target, remainingMs: number): GatewayError {
  return new GatewayError({
    code: 'upstream_overloaded',
    status: 503,
    retryable: true,
    retryAfterMs: Math.max(1000, Math.ceil(remainingMs)),
    message: `Provider "${target.provider.id}" (model "${target.model}") is temporarily ejected after repeated failures; it is probed again in ${Math.ceil(remainingMs / 1000)} s.`,
    upstream: { provider: target.provider.id, code: 'circuit_open' },
  });
}
