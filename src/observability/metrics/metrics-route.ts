import { adminSurface } from '../../admin/admin-surface.js';
import { secretsEqual } from '../../admin/admin-key.js';
import { GatewayError } from '../../core/index.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import type { RouteTable } from '../../server/route-table.js';
import type { MetricsConfig } from '../config-schema.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** GET /metrics: Prometheus text format; open unless a scrape token is configured. */
export function registerMetricsRoute(
  routes: RouteTable,
  metrics: GatewayMetrics,
  config: MetricsConfig,
): void {
  routes.add({
    method: 'GET',
    path: config.path,
    surface: adminSurface,
    operation: 'other',
    recorded: false,
    handler: async (runtime, context) => {
      try {
        if (config.token !== undefined) {
          const header = context.request.headers.authorization;
          const token =
            typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
          if (!secretsEqual(token, config.token)) {
            throw new GatewayError({
              code: 'authentication_failed',
              status: 401,
              message: 'Scraping metrics needs Authorization: Bearer <observability.metrics.token>.',
            });
          }
        }
        const body = await metrics.metrics();
        sendBody(runtime, context, 200, body, metrics.contentType);
      } catch (error) {
        sendError(runtime, context, adminSurface, error);
      }
    },
  });
}
