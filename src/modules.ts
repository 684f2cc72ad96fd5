import { anthropicModule } from './api/anthropic/anthropic-module.js';
import { bedrockSurfaceModule } from './api/bedrock/bedrock-routes.js';
import type { GatewayModule } from './gateway.js';

/** Features set up at start, in order. Each issue's feature adds its module here. */
export const BUILTIN_MODULES: GatewayModule[] = [anthropicModule, bedrockSurfaceModule];
