import { adminSurface } from '../admin/admin-surface.js';
import { registerAdminRoutes } from '../admin/register-admin-routes.js';
import type { GatewayModule } from '../gateway.js';
import { installGovernanceHooks } from './governance-hooks.js';
import { GovernanceService } from './governance-service.js';

/**
 * Virtual keys, budgets, rate limits, access lists and the admin API (docs/governance.md).
 * Runs first, so every surface's requests are authenticated and admitted by it.
 */
export function governanceModule(): GatewayModule {
  let service: GovernanceService | undefined;
  return {
    name: 'governance',
    async setup(assembly) {
      service = new GovernanceService(assembly.runtime, assembly.env);
      await service.start();
      installGovernanceHooks(assembly.runtime, service);
      registerAdminRoutes(assembly.routes, service);
      assembly.addFallbackSurface('/api/', adminSurface);
    },
    async close() {
      await service?.close();
    },
  };
}
