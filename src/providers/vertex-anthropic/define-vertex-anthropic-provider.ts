import { z } from 'zod';
import { splitBaseUrl } from '../../transport/upstream-request.js';
import { ANTHROPIC_KNOWN_MODELS, ANTHROPIC_MODEL_PATTERNS } from '../anthropic/anthropic-known-models.js';
import { createAnthropicDialectProvider } from '../anthropic/create-anthropic-provider.js';
import { ANTHROPIC_DIALECT_FIELDS } from '../anthropic/define-anthropic-provider.js';
import type { ProviderDefinition } from '../provider.js';
import type { ProviderSettings } from '../provider-settings.js';
import { loadServiceAccount } from './load-service-account.js';
import { VERTEX_BASE_URL_PLACEHOLDER, vertexBaseUrl } from './vertex-base-url.js';
import { createVertexAnthropicTransport, VERTEX_ANTHROPIC_VERSION } from './vertex-anthropic-transport.js';

/** A service account key: an inline object, JSON text (e.g. env.NAME), or a key file path. */
const serviceAccount = z.union([z.record(z.string(), z.unknown()), z.string().min(1)]);

interface VertexOptions {
  project?: string;
  region?: string;
  location?: string;
  serviceAccount?: unknown;
  tokenUrl?: string;
  anthropicVersion?: string;
  betas?: string[];
}

function createVertexAnthropicProvider(settings: ProviderSettings) {
  const options = settings.options as VertexOptions;
  const where = `providers.${settings.id}`;
  const region = options.region ?? options.location;
  if (options.project === undefined) throw new Error(`${where}: "project" is required for type vertex-anthropic`);
  if (region === undefined) throw new Error(`${where}: "region" (or "location") is required for type vertex-anthropic`);
  const credentialsFile = process.env.GOOGLE_APPLICATION_CREDENTIALS;
  const account =
    options.serviceAccount !== undefined
      ? loadServiceAccount(options.serviceAccount, `${where}.serviceAccount`)
      : credentialsFile !== undefined && credentialsFile !== '' && settings.keys.every((key) => key.value === undefined)
        ? loadServiceAccount(credentialsFile, 'GOOGLE_APPLICATION_CREDENTIALS')
        : undefined;
  const { origin, basePath } = settings.baseUrl === VERTEX_BASE_URL_PLACEHOLDER ? splitBaseUrl(vertexBaseUrl(region)) : settings;
  const transport = createVertexAnthropicTransport({
    providerId: settings.id,
    origin,
    basePath,
    project: options.project,
    region,
    headers: settings.headers,
    anthropicVersion: options.anthropicVersion ?? VERTEX_ANTHROPIC_VERSION,
    betas: options.betas ?? [],
    ...(account === undefined ? {} : { serviceAccount: account }),
    ...(options.tokenUrl === undefined ? {} : { tokenUrl: options.tokenUrl }),
  });
  return createAnthropicDialectProvider(
    { ...settings, origin, basePath },
    // Vertex gates native structured outputs behind an organisation policy, and takes no document URLs.
    { type: 'vertex-anthropic', transport, structuredOutputs: 'tool', documentUrls: false },
  );
}

/**
 * Claude on Vertex AI: the Anthropic dialect behind Google OAuth.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude
 */
export const VERTEX_ANTHROPIC_PROVIDER: ProviderDefinition = {
  type: 'vertex-anthropic',
  displayName: 'Claude on Vertex AI',
  dialect: 'anthropic-messages',
  defaultBaseUrl: VERTEX_BASE_URL_PLACEHOLDER,
  requiresKey: false,
  modelPatterns: ANTHROPIC_MODEL_PATTERNS,
  knownModels: ANTHROPIC_KNOWN_MODELS,
  configFields: {
    /** Google Cloud project id. */
    project: z.string().min(1),
    /** Vertex region ("us-east5", "europe-west1", "global", ...); `location` is the same. */
    region: z.string().min(1).optional(),
    location: z.string().min(1).optional(),
    serviceAccount: serviceAccount.optional(),
    /** OAuth2 token endpoint (default: the key's token_uri, then Google's); for tests and proxies. */
    tokenUrl: z.url().optional(),
    /** The body's anthropic_version (default vertex-2023-10-16). */
    anthropicVersion: z.string().min(1).optional(),
    ...ANTHROPIC_DIALECT_FIELDS,
  },
  keyFields: {
    /** A service account for this key (instead of the provider's). */
    serviceAccount: serviceAccount.optional(),
  },
  create: createVertexAnthropicProvider,
};
