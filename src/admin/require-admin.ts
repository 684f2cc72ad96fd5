import { GatewayError } from '../core/index.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { GatewayRuntime } from '../pipeline/runtime.js';
import { secretsEqual } from './admin-key.js';

/** Refuse the request unless it carries `Authorization: Bearer <admin key>`. */
export function requireAdmin(runtime: GatewayRuntime, context: RequestContext): void {
  const header = context.request.headers.authorization;
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (token === undefined || !secretsEqual(token, runtime.adminKey.value)) {
    throw new GatewayError({
      code: 'authentication_failed',
      status: 401,
      message: 'The admin API needs Authorization: Bearer <admin key> (SWITCHYARD_ADMIN_KEY, or the key in the data directory).',
    });
  }
}
