import { adminSurface } from '../admin/admin-surface.js';
import { requireAdmin } from '../admin/require-admin.js';
import type { GatewayModule } from '../gateway.js';
import { sendBody } from '../pipeline/respond.js';

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
        context.responseHeaders['cache-control'] = 'no-store';
        sendBody(runtime, context, 200, body);
      },
    });
  },
};
