import { sendBody } from '../pipeline/respond.js';
import type { RouteTable } from '../server/route-table.js';
import { openAiSurface } from './openai/openai-surface.js';

/** GET /health: liveness with version, uptime and provider count. Never authenticated. */
export function registerHealthRoute(routes: RouteTable): void {
  routes.add({
    method: 'GET',
    path: '/health',
    surface: openAiSurface,
    operation: 'other',
    recorded: false,
    handler: (runtime, context) => {
      const body = JSON.stringify({
        status: 'ok',
        version: runtime.version,
        uptimeSeconds: Math.round((Date.now() - runtime.startedAt) / 1000),
        providers: runtime.providers.size,
        pid: process.pid,
      });
      sendBody(runtime, context, 200, body);
    },
  });
}
