import { GatewayError } from '../../core/index.js';
import type { ModelCatalog } from '../../catalog/model-catalog.js';
import type { ProviderRegistry } from '../../router/provider-registry.js';

type Json = Record<string, unknown>;

function isEmbeddingModel(model: string): boolean {
  return /embed/i.test(model);
}

/**
 * Every model the gateway can route to, as GenAI Model resources named
 * "models/{provider}/{model}" — the name a client passes back to generateContent works as is.
 */
export function listGenAiModels(registry: ProviderRegistry, catalog: ModelCatalog): Json[] {
  const models: Json[] = [];
  for (const provider of registry.list()) {
    for (const model of provider.listModels()) {
      const info = catalog.lookup(provider.type, model);
      const entry: Json = {
        name: `models/${provider.id}/${model}`,
        baseModelId: model,
        version: '',
        displayName: `${model} (${provider.id})`,
        supportedGenerationMethods: isEmbeddingModel(model)
          ? ['embedContent', 'batchEmbedContents']
          : ['generateContent', 'streamGenerateContent', 'countTokens'],
      };
      if (info?.contextWindow !== undefined) entry.inputTokenLimit = info.contextWindow;
      if (info?.maxOutputTokens !== undefined) entry.outputTokenLimit = info.maxOutputTokens;
      models.push(entry);
    }
  }
  return models;
}

export function encodeGenAiModelList(registry: ProviderRegistry, catalog: ModelCatalog): string {
  return JSON.stringify({ models: listGenAiModels(registry, catalog) });
}

/** One model by "provider/model" or bare name (the first provider listing it). */
export function encodeGenAiModel(registry: ProviderRegistry, catalog: ModelCatalog, id: string): string {
  const name = `models/${id.startsWith('models/') ? id.slice(7) : id}`;
  const models = listGenAiModels(registry, catalog);
  const found = models.find((model) => model.name === name) ?? models.find((model) => (model.name as string).endsWith(`/${name.slice(7)}`));
  if (found === undefined) {
    throw new GatewayError({ code: 'model_not_found', status: 404, param: 'model', message: `${name} is not found or not served by this gateway.` });
  }
  return JSON.stringify(found);
}
