import type { ModelCatalog } from '../../catalog/model-catalog.js';
import type { ModelCapabilities, ModelInfo } from '../../catalog/model-info.js';
import { GatewayError } from '../../core/index.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { ProviderRegistry } from '../../router/provider-registry.js';
import type { RouteHandler } from '../../server/route-table.js';
import { cohereSurface } from './cohere-surface.js';

type Json = Record<string, unknown>;

/** Catalog capabilities in Cohere's feature words. */
const FEATURES: Array<[keyof ModelCapabilities, string]> = [
  ['tools', 'tools'],
  ['structuredOutput', 'json_schema'],
  ['vision', 'vision'],
  ['reasoning', 'reasoning'],
];

/** The Cohere endpoint a model is for, from the catalog or its name. */
function endpointsOf(info: ModelInfo | undefined, model: string): string[] {
  if (info?.capabilities?.rerank === true || /rerank/i.test(model)) return ['rerank'];
  if (info?.capabilities?.embeddings === true || /embed/i.test(model)) return ['embed'];
  return ['chat'];
}

/**
 * Every model the gateway routes to, as Cohere's model objects (GET /v1/models) named
 * "{provider}/{model}" — the name a Cohere client passes back to chat, embed or rerank.
 */
export function listCohereModels(registry: ProviderRegistry, catalog: ModelCatalog): Json[] {
  const models: Json[] = [];
  for (const provider of registry.list()) {
    for (const model of provider.listModels()) {
      const info = catalog.lookup(provider.type, model, provider.id);
      const endpoints = endpointsOf(info, model);
      const entry: Json = { name: `${provider.id}/${model}`, endpoints, finetuned: false, default_endpoints: [] };
      if (info?.contextWindow !== undefined) entry.context_length = info.contextWindow;
      const features = FEATURES.filter(([capability]) => info?.capabilities?.[capability] === true).map(([, feature]) => feature);
      if (features.length > 0) entry.features = features;
      models.push(entry);
    }
  }
  return models;
}

/** GET /cohere/v1/models: `endpoint` filters by endpoint; `page_size` and `page_token` page through. */
export const listCohereModelsRoute: RouteHandler = async (runtime, context, info) => {
  try {
    await runHooks(runtime.hooks.authenticate, context);
    const query = info.query ?? new URLSearchParams();
    const endpoint = query.get('endpoint');
    const all = listCohereModels(runtime.providers, runtime.catalog).filter((model) => endpoint === null || (model.endpoints as string[]).includes(endpoint));
    const size = query.has('page_size') ? Number(query.get('page_size')) : 1000;
    if (!Number.isInteger(size) || size < 1) throw new GatewayError({ code: 'invalid_request', status: 400, param: 'page_size', message: "Invalid 'page_size': expected a positive integer." });
    const start = query.has('page_token') ? Number(query.get('page_token')) : 0;
    if (!Number.isInteger(start) || start < 0) throw new GatewayError({ code: 'invalid_request', status: 400, param: 'page_token', message: "Invalid 'page_token'." });
    const page: Json = { models: all.slice(start, start + size) };
    if (start + size < all.length) page.next_page_token = String(start + size);
    sendBody(runtime, context, 200, JSON.stringify(page));
  } catch (error) {
    sendError(runtime, context, cohereSurface, error);
  }
};

/** GET /cohere/v1/models/{model}: by "provider/model" or bare name (the first provider listing it). */
export const getCohereModelRoute: RouteHandler = async (runtime, context, info) => {
  try {
    await runHooks(runtime.hooks.authenticate, context);
    const id = info.params.rest ?? '';
    const models = listCohereModels(runtime.providers, runtime.catalog);
    const found = models.find((model) => model.name === id) ?? models.find((model) => (model.name as string).endsWith(`/${id}`));
    if (found === undefined) throw new GatewayError({ code: 'model_not_found', status: 404, param: 'model', message: `model '${id}' not found, make sure the correct model ID was used` });
    sendBody(runtime, context, 200, JSON.stringify(found));
  } catch (error) {
    sendError(runtime, context, cohereSurface, error);
  }
};
