import { GatewayError } from '../../core/index.js';
import type { ProviderRegistry } from '../../router/provider-registry.js';
import { listModelEntries } from '../openai/models.js';

interface AnthropicModelEntry {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

function entries(registry: ProviderRegistry, startedAt: number): AnthropicModelEntry[] {
  const createdAt = new Date(startedAt).toISOString();
  return listModelEntries(registry, Math.floor(startedAt / 1000)).map((entry) => ({
    type: 'model',
    id: entry.id,
    display_name: entry.id,
    created_at: createdAt,
  }));
}

/** GET /anthropic/v1/models in Anthropic's list shape (one page: has_more is false). */
export function encodeAnthropicModelList(registry: ProviderRegistry, startedAt: number): string {
  const data = entries(registry, startedAt);
  return JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

/** GET /anthropic/v1/models/{id}: "provider/model" or a bare model name. */
export function encodeAnthropicModel(registry: ProviderRegistry, startedAt: number, id: string): string {
  const entry = entries(registry, startedAt).find((candidate) => candidate.id === id || candidate.id.endsWith(`/${id}`));
  if (entry === undefined) throw new GatewayError({ code: 'model_not_found', status: 404, param: 'model_id', message: `model: ${id}` });
  return JSON.stringify(entry);
}
