import type { GatewayModule } from '../../gateway.js';
import { anthropicSurface } from './anthropic-surface.js';
import { registerAnthropicRoutes } from './routes.js';

/** The Anthropic surface: /anthropic/v1/messages (+ count_tokens, models); unknown /anthropic paths answer in Anthropic's error shape. */
export const anthropicModule: GatewayModule = {
  name: 'anthropic-surface',
  setup(assembly) {
    registerAnthropicRoutes(assembly.routes);
    assembly.addFallbackSurface('/anthropic/', anthropicSurface);
  },
};
