import type { ConfigIssue } from '../config/resolve-env-references.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderSettings } from '../providers/provider-settings.js';
import { getProviderDefinition } from '../providers/registry.js';
import { RoutingTable, type RoutingConfig } from './compile-routes.js';
import { ProviderRegistry } from './provider-registry.js';

/**
 * Check the routing section against the configured providers while the config is validated, so
 * a bad alias target or fallback is a config error naming its path, not a failure at start.
 */
export function validateRouting(routing: RoutingConfig, providers: readonly ProviderSettings[], issues: ConfigIssue[]): void {
  const hasRoutes = Object.keys(routing.aliases).length > 0 || routing.rules.length > 0 || Object.keys(routing.fallbacks).length > 0;
  if (!hasRoutes) return;
  const created: Provider[] = [];
  for (const settings of providers) {
    try {
      const definition = getProviderDefinition(settings.type);
      if (definition !== undefined) created.push(definition.create(settings));
    } catch {
      // The provider's own validation reports its problems.
    }
  }
  issues.push(...new RoutingTable(routing, new ProviderRegistry(created)).issues);
}
