import type { GovernanceService } from '../governance/governance-service.js';
import type { RouteTable } from '../server/route-table.js';
import { adminRoute } from './admin-http.js';
import { registerCustomerRoutes } from './customer-routes.js';
import { registerLimitRoutes } from './limit-routes.js';
import { adminOpenApiDocument } from './openapi.js';
import { registerProviderRoutes } from './provider-routes.js';
import { registerTeamRoutes } from './team-routes.js';
import { registerVirtualKeyRoutes } from './virtual-key-routes.js';

/** The admin API under /api/ (docs/admin-api.openapi.json). */
export function registerAdminRoutes(routes: RouteTable, service: GovernanceService): void {
  const document = adminOpenApiDocument();
  adminRoute(routes, 'GET', '/api/openapi.json', () => ({ body: document }), { open: true });
  registerVirtualKeyRoutes(routes, service);
  registerTeamRoutes(routes, service);
  registerCustomerRoutes(routes, service);
  registerProviderRoutes(routes, service);
  registerLimitRoutes(routes, service);
}
