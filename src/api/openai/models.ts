import { GatewayError } from '../../core/index.js';
import type { ProviderRegistry } from '../../router/provider-registry.js';

interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** Every model the gateway can route to, as "provider/model", merged across providers. */
export function listModelEntries(registry: ProviderRegistry, created: number): ModelEntry[] {
  const entries: ModelEntry[] = [];
  for (const provider of registry.list()) {
    for (const model of provider.listModels()) {
      entries.push({ id: `${provider.id}/${model}`, object: 'model', created, owned_by: provider.id });
    }
  }
  return entries;
}

export function encodeModelList(registry: ProviderRegistry, created: number): string {
  return JSON.stringify({ object: 'list', data: listModelEntries(registry, created) });
}

export function encodeModel(registry: ProviderRegistry, created: number, id: string): string {
  const entry = listModelEntries(registry, created).find((candidate) => candidate.id === id || candidate.id.endsWith(`/${id}`));
  if (entry === undefined) {
    throw new GatewayError({ code: 'model_not_found', status: 404, param: 'model', message: `The model '${id}' does not exist` });
  }
  return JSON.stringify(entry);
}
