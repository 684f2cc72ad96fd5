import type { AzureOptions } from './azure-config.js';

export type AzureOperation = 'chat' | 'embeddings' | 'completions' | 'responses';

const SUFFIX: Record<AzureOperation, string> = {
  chat: '/chat/completions',
  embeddings: '/embeddings',
  completions: '/completions',
  responses: '/responses',
};

/** The deployment serving a model: the configured mapping, else the model name itself. */
export function deploymentFor(options: AzureOptions, model: string): string {
  return options.deployments[model] ?? model;
}

/**
 * Path and query of an Azure OpenAI call.
 * - deployments style: /openai/deployments/{deployment}/chat/completions?api-version=2024-10-21
 * - v1 style: /openai/v1/chat/completions (the deployment goes in the body's `model`)
 * The Responses API is only on the v1 form (/openai/v1/responses) in either style, since no
 * dated GA api-version has it.
 */
export function azurePath(options: AzureOptions, operation: AzureOperation, deployment: string): string {
  if (options.urlStyle === 'v1' || operation === 'responses') return `${options.root}/openai/v1${SUFFIX[operation]}`;
  return `${options.root}/openai/deployments/${encodeURIComponent(deployment)}${SUFFIX[operation]}?api-version=${encodeURIComponent(options.apiVersion)}`;
}
