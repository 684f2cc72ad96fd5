import { z } from 'zod';
import { RESPONSES_CONFIG_FIELDS } from '../openai-responses/with-responses-api.js';
import type { ProviderKey, ProviderSettings } from '../provider-settings.js';

/**
 * The latest generally available dated api-version of the Azure OpenAI data-plane inference
 * API (https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle). The v1 API
 * (/openai/v1/...) takes no api-version.
 */
export const DEFAULT_API_VERSION = '2024-10-21';

/** Entra ID client-credentials scope for Azure OpenAI / Azure AI Foundry. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

export const AZURE_CONFIG_FIELDS = {
  ...RESPONSES_CONFIG_FIELDS,
  /** Dated api-version for /openai/deployments/{deployment}/... URLs. */
  apiVersion: z.string().min(1).optional(),
  /** "deployments" (default): /openai/deployments/{deployment}/...?api-version=; "v1": /openai/v1/... */
  urlStyle: z.enum(['deployments', 'v1']).optional(),
  /** Model name clients use → Azure deployment name. Unmapped models are used as deployment names. */
  deployments: z.record(z.string().min(1), z.string().min(1)).optional(),
};

export const AZURE_KEY_FIELDS = {
  /** How `value` is sent: the api-key header (default) or `Authorization: Bearer` (an Entra ID token). */
  auth: z.enum(['api-key', 'bearer']).optional(),
  /** Entra ID client-credentials flow: `value` is the client secret; tokens are fetched and cached. */
  entra: z
    .strictObject({
      tenantId: z.string().min(1).optional(),
      clientId: z.string().min(1),
      /** Token endpoint; default https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token. */
      tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
      scope: z.string().min(1).optional(),
    })
    .refine((entra) => entra.tenantId !== undefined || entra.tokenUrl !== undefined, { message: 'needs tenantId or tokenUrl' })
    .optional(),
};

export interface AzureOptions {
  apiVersion: string;
  urlStyle: 'deployments' | 'v1';
  deployments: Record<string, string>;
  /** Path before /openai (a proxy prefix, usually empty). */
  root: string;
}

export interface EntraOptions {
  tenantId?: string;
  clientId: string;
  tokenUrl?: string;
  scope?: string;
}

export function azureOptions(settings: ProviderSettings): AzureOptions {
  const options = settings.options;
  const path = settings.basePath.split('?')[0]!;
  return {
    apiVersion: typeof options.apiVersion === 'string' ? options.apiVersion : DEFAULT_API_VERSION,
    urlStyle: options.urlStyle === 'v1' ? 'v1' : 'deployments',
    deployments: (options.deployments as Record<string, string> | undefined) ?? {},
    // The endpoint may be given as https://x.openai.azure.com, .../openai or .../openai/v1.
    root: path.replace(/\/openai(\/v1)?$/, ''),
  };
}

export type KeyAuth = { kind: 'api-key' } | { kind: 'bearer' } | { kind: 'entra'; entra: EntraOptions };

export function keyAuth(key: ProviderKey): KeyAuth {
  const entra = key.options.entra as EntraOptions | undefined;
  if (entra !== undefined) return { kind: 'entra', entra };
  return { kind: key.options.auth === 'bearer' ? 'bearer' : 'api-key' };
}
