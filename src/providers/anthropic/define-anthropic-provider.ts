import { z } from 'zod';
import type { ProviderDefinition } from '../provider.js';
import { createAnthropicApiTransport } from './anthropic-api-transport.js';
import { ANTHROPIC_KNOWN_MODELS, ANTHROPIC_MODEL_PATTERNS } from './anthropic-known-models.js';
import { createAnthropicDialectProvider } from './create-anthropic-provider.js';

/** Config fields shared by every provider of the Anthropic dialect. */
export const ANTHROPIC_DIALECT_FIELDS = {
  /** anthropic-beta values sent on every request, e.g. ["interleaved-thinking-2025-05-14"]. */
  betas: z.array(z.string().min(1)).optional(),
  /**
   * json_schema response formats as Anthropic's native structured outputs (output_config.format)
   * or emulated with a forced tool (for models or platforms without them).
   */
  structuredOutputs: z.enum(['native', 'tool']).optional(),
};

/** The Anthropic API (Messages), https://docs.anthropic.com/en/api/messages. */
export const ANTHROPIC_PROVIDER: ProviderDefinition = {
  type: 'anthropic',
  displayName: 'Anthropic',
  dialect: 'anthropic-messages',
  defaultBaseUrl: 'https://api.anthropic.com',
  env: { apiKey: ['ANTHROPIC_API_KEY'], baseUrl: ['ANTHROPIC_BASE_URL'] },
  requiresKey: true,
  modelPatterns: ANTHROPIC_MODEL_PATTERNS,
  knownModels: ANTHROPIC_KNOWN_MODELS,
  configFields: {
    /** The anthropic-version header (default 2023-06-01). */
    anthropicVersion: z.string().min(1).optional(),
    ...ANTHROPIC_DIALECT_FIELDS,
  },
  create: (settings) =>
    createAnthropicDialectProvider(settings, {
      type: 'anthropic',
      transport: createAnthropicApiTransport(settings),
      structuredOutputs: 'native',
      documentUrls: true,
    }),
};
