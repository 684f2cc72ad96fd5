import type { ProviderDefinition } from '../provider.js';
import { createGeminiFamilyProvider } from './create-gemini-family-provider.js';
import { geminiApiEndpoints } from './gemini-endpoints.js';

export const GEMINI_MODEL_PATTERNS = ['gemini-*', 'gemma-*', 'gemini-embedding-*', 'embedding-*', 'learnlm-*'];
export const GEMINI_KNOWN_MODELS = ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-embedding-001'];

/** The Gemini API (Google AI Studio), key in `x-goog-api-key`. */
export const GEMINI_PROVIDER: ProviderDefinition = {
  type: 'gemini',
  displayName: 'Google Gemini (AI Studio)',
  dialect: 'gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  env: { apiKey: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], baseUrl: ['GEMINI_BASE_URL'] },
  requiresKey: true,
  modelPatterns: GEMINI_MODEL_PATTERNS,
  knownModels: GEMINI_KNOWN_MODELS,
  create: (settings) =>
    createGeminiFamilyProvider({
      type: 'gemini',
      settings,
      endpoints: geminiApiEndpoints(settings.basePath),
      vertex: false,
      knownModels: GEMINI_KNOWN_MODELS,
      modelPatterns: GEMINI_MODEL_PATTERNS,
      authenticate(request, key) {
        if (key?.value !== undefined) request.headers['x-goog-api-key'] = key.value;
      },
    }),
};
