import type { GatewayError } from '../core/index.js';

/**
 * What a failed attempt means for routing:
 *  - client: the request itself is wrong (400, 413, 422, context length): never retried, no fallback;
 *  - key-auth: the key was refused (401/403): skip the key for the rest of the request, report it;
 *  - key-quota: the key's quota is exhausted (429 insufficient_quota): skip the key, no wait;
 *  - key-rate: the key is rate limited (429): rotate to another key, else wait for the reset;
 *  - transient: 5xx, 529, timeouts, refused or reset connections, malformed answers: retry;
 *  - target: this target cannot serve the request (404, unknown model, unsupported): next target;
 *  - busy: the gateway's own queue for the provider is full: another target, no health verdict;
 *  - ejected: the target's circuit is open: another target, no upstream call was made.
 */
export type FailureKind = 'client' | 'key-auth' | 'key-quota' | 'key-rate' | 'transient' | 'target' | 'busy' | 'ejected';

export function classifyFailure(error: GatewayError): FailureKind {
  switch (error.code) {
    case 'upstream_authentication':
    case 'upstream_permission':
      return 'key-auth';
    case 'upstream_rate_limited':
      return error.retryable ? 'key-rate' : 'key-quota';
    case 'upstream_overloaded':
      return error.upstream?.code === 'circuit_open' ? 'ejected' : 'transient';
    case 'upstream_error':
    case 'upstream_timeout':
    case 'upstream_unreachable':
    case 'upstream_bad_response':
    case 'stream_error':
      return 'transient';
    // Governance refused this target from an attemptStart hook (provider access list, provider
    // budget or rate limit): another target may be allowed.
    case 'upstream_not_found':
    case 'model_not_found':
    case 'not_supported':
    case 'permission_denied':
    case 'rate_limited':
    case 'budget_exceeded':
      return 'target';
    case 'queue_full':
      return 'busy';
    default:
      return error.retryable ? 'transient' : 'client';
  }
}

/** Whether the next target is worth trying after this error. */
export function isTargetFailure(error: GatewayError): boolean {
  return classifyFailure(error) !== 'client';
}

/** Short label of an error for attempt reasons: the upstream status when there was one. */
export function failureLabel(error: GatewayError): string {
  const status = error.upstream?.status;
  return status === undefined ? error.code : String(status);
}
