/**
 * The class of an error code, for logs and dashboards: whose fault it was.
 * - client: the request itself was wrong (bad JSON, unknown model, unsupported parameter)
 * - governance: refused by policy (auth, limits, budgets)
 * - upstream: the provider failed or refused
 * - gateway: Switchyard itself (shutting down, internal error)
 * - aborted: the client went away
 */
export type ErrorClass = 'client' | 'governance' | 'upstream' | 'gateway' | 'aborted';

const GOVERNANCE = new Set([
  'authentication_failed',
  'permission_denied',
  'rate_limited',
  'budget_exceeded',
  'queue_full',
]);
const GATEWAY = new Set(['no_providers', 'shutting_down', 'internal_error', 'log_spool_full']);

export function errorClassOf(code: string | undefined): ErrorClass | undefined {
  if (code === undefined) return undefined;
  if (code === 'client_closed') return 'aborted';
  if (GOVERNANCE.has(code)) return 'governance';
  if (GATEWAY.has(code)) return 'gateway';
  if (
    code.startsWith('upstream_') ||
    code === 'context_length_exceeded' ||
    code === 'content_filtered' ||
    code === 'stream_error'
  ) {
    return 'upstream';
  }
  return 'client';
}
