import type { ModelCatalog } from '../../catalog/model-catalog.js';
import { GatewayError } from '../../core/index.js';
import type { ProviderRegistry } from '../../router/provider-registry.js';

interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  /** Catalog facts (extra fields; OpenAI clients ignore them). */
  context_window?: number;
  max_output_tokens?: number;
  capabilities?: Record<string, boolean>;
  /** USD per million tokens, with the date the prices were taken. */
  pricing?: Record<string, unknown>;
}

/** Add what the catalog knows about a model to its entry. */
function withCatalogFacts(entry: ModelEntry, catalog: ModelCatalog | undefined, type: string, model: string, providerId: string): ModelEntry {
  const info = catalog?.lookup(type, model, providerId);
  if (info === undefined) return entry;
  if (info.contextWindow !== undefined) entry.context_window = info.contextWindow;
  if (info.maxOutputTokens !== undefined) entry.max_output_tokens = info.maxOutputTokens;
  if (info.capabilities !== undefined) entry.capabilities = info.capabilities as Record<string, boolean>;
  if (info.pricing !== undefined) entry.pricing = { ...info.pricing, ...(info.pricesAsOf === undefined ? {} : { as_of: info.pricesAsOf }) };
  return entry;
}

/** Every model the gateway can route to, as "provider/model", merged across providers. */
export function listModelEntries(registry: ProviderRegistry, created: number, catalog?: ModelCatalog): ModelEntry[] {
  const entries: ModelEntry[] = [];
  for (const provider of registry.list()) {
    for (const model of provider.listModels()) {
      entries.push(withCatalogFacts({ id: `${provider.id}/${model}`, object: 'model', created, owned_by: provider.id }, catalog, provider.type, model, provider.id));
    }
  }
  return entries;
}

export function encodeModelList(registry: ProviderRegistry, created: number, catalog?: ModelCatalog): string {
  return JSON.stringify({ object: 'list', data: listModelEntries(registry, created, catalog) });
}

export function encodeModel(registry: ProviderRegistry, created: number, id: string, catalog?: ModelCatalog): string {
  const entry = listModelEntries(registry, created, catalog).find((candidate) => candidate.id === id || candidate.id.endsWith(`/${id}`));
  if (entry === undefined) {
    throw new GatewayError({ code: 'model_not_found', status: 404, param: 'model', message: `The model '${id}' does not exist` });
  }
  return JSON.stringify(entry);
}
