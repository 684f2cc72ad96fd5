import type { GatewayModule, GatewayModuleFactory } from './gateway.js';
import { governanceModule } from './governance/governance-module.js';

/**
 * Features set up at start, in order. Each issue's feature adds its module here. Governance
 * (virtual keys, budgets, rate limits, admin API) is a factory: it holds per-gateway state.
 */
export const BUILTIN_MODULES: Array<GatewayModule | GatewayModuleFactory> = [governanceModule];
