import { adminSurface } from '../admin/admin-surface.js';
import { requireAdmin } from '../admin/require-admin.js';
import type { GatewayModule } from '../gateway.js';
import { gatewayHeaders } from '../pipeline/gateway-headers.js';

/**
 * The router's admin view: GET /api/router/state returns circuits (provider, key, model),
 * in-flight counts, queue depths, latency scores and the retry budget (see router-state.ts).
 */
export const routerModule: GatewayModule = {
  name: 'router',
  setup(assembly) {
    assembly.routes.add({
      method: 'GET',
      path: '/api/router/state',
      surface: adminSurface,
      operation: 'other',
      recorded: false,
      handler(runtime, context) {
        requireAdmin(runtime, context);
        const body = JSON.stringify(runtime.router.state?.() ?? {});
        context.record.status = 200;
        context.response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...gatewayHeaders(context.record) });
        context.response.end(body);
      },
    });
  },
};
