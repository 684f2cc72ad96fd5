import type { Gateway } from '../gateway.js';

/** Human-readable start-up summary: address, providers and the models they route. */
export function startupSummary(gateway: Gateway, url: string): string {
  const { runtime } = gateway;
  const lines = [`Switchyard ${runtime.version} listening on ${url}`];
  const providers = runtime.providers.list();
  if (providers.length === 0) {
    lines.push(
      'No providers configured: set a key such as OPENAI_API_KEY, or start with --config switchyard.yaml (see docs/configuration.md).',
    );
  } else {
    lines.push(`Providers${runtime.config.providersFromEnv ? ' (from environment variables)' : ''}:`);
    for (const provider of providers) {
      const models = provider.listModels();
      const keys = provider.settings.keys.length;
      lines.push(
        `  ${provider.id} (${provider.type}) ${provider.settings.baseUrl} — ${keys} key${keys === 1 ? '' : 's'}; models: ${
          models.length > 0 ? models.map((model) => `${provider.id}/${model}`).join(', ') : `${provider.id}/<any>`
        }`,
      );
    }
  }
  lines.push(`OpenAI SDK: baseURL = "${url}/v1"`);
  const admin = runtime.adminKey;
  if (admin.generated) lines.push(`Admin API key (generated once, saved in ${admin.file}): ${admin.value}`);
  return lines.join('\n');
}
