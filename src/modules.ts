import { anthropicModule } from './api/anthropic/anthropic-module.js';
import { frameworkMountsModule } from './api/frameworks/framework-mounts-module.js';
import type { GatewayModule } from './gateway.js';

/** Features set up at start, in order. Each issue's feature adds its module here. */
export const BUILTIN_MODULES: GatewayModule[] = [anthropicModule, frameworkMountsModule];
