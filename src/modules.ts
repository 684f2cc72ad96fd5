import type { GatewayModule, GatewayModuleFactory } from './gateway.js';
import { createObservabilityModule } from './observability/observability-module.js';

/**
 * Features set up at start, in order. Each issue's feature adds its module here.
 * Observability comes first so it is closed last (after the others have finished writing), and
 * its request-log hooks see each request before other modules can refuse it.
 */
export const BUILTIN_MODULES: Array<GatewayModule | GatewayModuleFactory> = [createObservabilityModule];
