import { anthropicModule } from './api/anthropic/anthropic-module.js';
import { cohereModule } from './api/cohere/cohere-module.js';
import { genAiModule } from './api/genai/routes.js';
import { openAiRerankModule } from './api/openai/rerank.js';
import { responsesModule } from './api/responses/responses-module.js';
import type { GatewayModule } from './gateway.js';
import { routerModule } from './router/router-module.js';

/** Features set up at start, in order. Each issue's feature adds its module here. */
export const BUILTIN_MODULES: GatewayModule[] = [
  routerModule,
  anthropicModule,
  genAiModule,
  cohereModule,
  openAiRerankModule,
  responsesModule(),
];
