import { ANTHROPIC_PROVIDER } from './anthropic/define-anthropic-provider.js';
import { COHERE } from './cohere/define-cohere-provider.js';
import { GEMINI_PROVIDER } from './gemini/define-gemini-provider.js';
import { VERTEX_PROVIDER } from './gemini/define-vertex-provider.js';
import { AZURE_PROVIDER } from './azure/define-azure-provider.js';
import { BEDROCK_PROVIDER } from './bedrock/bedrock-provider.js';
import { defineOpenAiFamilyProvider } from './openai/define-openai-family-provider.js';
import { COMPATIBLE_VENDORS, OPENAI } from './openai-compatible/vendors.js';
import type { ProviderDefinition } from './provider.js';
import { VERTEX_ANTHROPIC_PROVIDER } from './vertex-anthropic/define-vertex-anthropic-provider.js';

/** Every provider type the gateway ships with. */
export const BUILTIN_PROVIDERS: ProviderDefinition[] = [
  defineOpenAiFamilyProvider(OPENAI),
  ...COMPATIBLE_VENDORS.map(defineOpenAiFamilyProvider),
  ANTHROPIC_PROVIDER,
  VERTEX_ANTHROPIC_PROVIDER,
  COHERE,
  GEMINI_PROVIDER,
  VERTEX_PROVIDER,
  AZURE_PROVIDER,
  BEDROCK_PROVIDER,
];
