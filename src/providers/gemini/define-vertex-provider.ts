import { GoogleAccessTokenSource, type ServiceAccountKey } from '../../transport/google-service-account.js';
import { splitBaseUrl } from '../../transport/upstream-request.js';
import type { ProviderDefinition } from '../provider.js';
import { createGeminiFamilyProvider } from './create-gemini-family-provider.js';
import { GEMINI_KNOWN_MODELS, GEMINI_MODEL_PATTERNS } from './define-gemini-provider.js';
import { vertexBaseUrl, vertexEndpoints } from './gemini-endpoints.js';
import { VERTEX_CONFIG_FIELDS } from './vertex-service-account.js';

const VERTEX_DEFAULT_BASE_URL = 'https://aiplatform.googleapis.com/v1';

/**
 * Gemini on Vertex AI. OAuth2 access tokens come from the service account (JWT bearer grant,
 * cached and refreshed before expiry); without a service account, each key's value is sent as
 * a ready-made access token (e.g. from `gcloud auth print-access-token`).
 */
export const VERTEX_PROVIDER: ProviderDefinition = {
  type: 'vertex',
  displayName: 'Google Vertex AI (Gemini)',
  dialect: 'gemini',
  defaultBaseUrl: VERTEX_DEFAULT_BASE_URL,
  requiresKey: false,
  modelPatterns: [...GEMINI_MODEL_PATTERNS, 'text-embedding-00*', 'text-multilingual-embedding-*'],
  knownModels: GEMINI_KNOWN_MODELS,
  configFields: { ...VERTEX_CONFIG_FIELDS, serviceAccount: VERTEX_CONFIG_FIELDS.serviceAccount.optional() },
  create(settings) {
    const options = settings.options as { project?: string; region: string; serviceAccount?: ServiceAccountKey; tokenUrl?: string };
    const account = options.serviceAccount;
    const project = options.project ?? account?.project_id;
    if (project === undefined) throw new Error(`provider "${settings.id}" (vertex) needs "project" (or a service account key with project_id)`);
    if (account === undefined && !settings.keys.some((key) => key.value !== undefined)) {
      throw new Error(`provider "${settings.id}" (vertex) needs "serviceAccount" (or keys holding OAuth access tokens)`);
    }
    const region = options.region;
    let resolved = settings;
    if (settings.baseUrl === VERTEX_DEFAULT_BASE_URL && region !== 'global') {
      const baseUrl = vertexBaseUrl(region);
      resolved = { ...settings, baseUrl, ...splitBaseUrl(baseUrl) };
    }
    const tokens = account === undefined ? undefined : new GoogleAccessTokenSource(account, options.tokenUrl === undefined ? {} : { tokenUrl: options.tokenUrl });
    return createGeminiFamilyProvider({
      type: 'vertex',
      settings: resolved,
      endpoints: vertexEndpoints(resolved.basePath, project, region),
      vertex: true,
      knownModels: GEMINI_KNOWN_MODELS,
      modelPatterns: [...GEMINI_MODEL_PATTERNS, 'text-embedding-00*', 'text-multilingual-embedding-*'],
      async authenticate(request, key) {
        const token = tokens === undefined ? key?.value : await tokens.token();
        if (token !== undefined) request.headers.authorization = `Bearer ${token}`;
      },
      // A refused token (revoked, or expired early) is dropped so the next request gets a new one.
      onUnauthorized: () => tokens?.invalidate(),
    });
  },
};
