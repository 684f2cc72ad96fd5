import type { GatewayModule } from './gateway.js';
import { routerModule } from './router/router-module.js';

/** Features set up at start, in order. Each issue's feature adds its module here. */
export const BUILTIN_MODULES: GatewayModule[] = [routerModule];
