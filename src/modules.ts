import { anthropicModule } from './api/anthropic/anthropic-module.js';
import { bedrockSurfaceModule } from './api/bedrock/bedrock-routes.js';
import { cohereModule } from './api/cohere/cohere-module.js';
import { frameworkMountsModule } from './api/frameworks/framework-mounts-module.js';
import { genAiModule } from './api/genai/routes.js';
import { openAiRerankModule } from './api/openai/rerank.js';
import { responsesModule } from './api/responses/responses-module.js';
import type { GatewayModule, GatewayModuleFactory } from './gateway.js';
import { governanceModule } from './governance/governance-module.js';
import { createObservabilityModule } from './observability/observability-module.js';
import { routerModule } from './router/router-module.js';

/**
 * Features set up at start, in order. Each issue's feature adds its module here.
 * Observability comes first so it is closed last (after the others have finished writing), and
 * its request-log hooks see each request before other modules can refuse it. Governance
 * (virtual keys, budgets, rate limits, admin API) comes next so it refuses before any work.
 */
export const BUILTIN_MODULES: Array<GatewayModule | GatewayModuleFactory> = [
  createObservabilityModule,
  governanceModule,
  routerModule,
  anthropicModule,
  genAiModule,
  bedrockSurfaceModule,
  cohereModule,
  openAiRerankModule,
  responsesModule(),
  frameworkMountsModule,
];
