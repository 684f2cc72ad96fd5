import { GatewayError } from '../core/index.js';
import { getProviderDefinition } from '../providers/registry.js';
import type { ProviderRegistry } from './provider-registry.js';
import type { Target } from './target.js';

function available(registry: ProviderRegistry): string {
  const names: string[] = [];
  for (const provider of registry.list()) {
    const models = provider.listModels();
    names.push(models.length > 0 ? models.map((model) => `${provider.id}/${model}`).join(', ') : `${provider.id}/<any model>`);
  }
  return names.join('; ');
}

/** A provider takes any model name when neither its config nor its type restricts names. */
function isCatchAll(target: { settings: { models: string[]; keys: Array<{ models?: string[] }> }; type: string }): boolean {
  if (target.settings.models.length > 0) return false;
  if (target.settings.keys.some((key) => key.models !== undefined && !key.models.includes('*'))) return false;
  return (getProviderDefinition(target.type)?.modelPatterns ?? []).length === 0;
}

/**
 * Resolve the model a client asked for to a provider and upstream model id:
 *  1. "provider/model" where provider is a configured provider id;
 *  2. a bare name served by exactly one provider (its config `models`, key allow-lists or the
 *     provider type's own naming patterns, e.g. gpt-* for openai);
 *  3. a bare name when exactly one configured provider accepts any model name.
 * Several matches at the same step are ambiguous (400); none is unknown (404). Both errors
 * list what is available.
 */
export function resolveModel(model: string, registry: ProviderRegistry): Target {
  if (registry.size === 0) {
    throw new GatewayError({
      code: 'no_providers',
      status: 503,
      message:
        'No providers are configured. Set a provider key (e.g. OPENAI_API_KEY) or pass --config with a providers section.',
    });
  }
  const slash = model.indexOf('/');
  if (slash > 0) {
    const provider = registry.get(model.slice(0, slash));
    if (provider !== undefined) {
      const rest = model.slice(slash + 1);
      if (rest === '') {
        throw new GatewayError({ code: 'model_not_found', status: 404, param: 'model', message: `No model given after "${provider.id}/".` });
      }
      return { provider, model: rest, reason: 'requested' };
    }
  }
  const serving = registry.list().filter((provider) => provider.servesModel(model));
  if (serving.length === 1) return { provider: serving[0]!, model, reason: 'requested' };
  if (serving.length > 1) {
    throw new GatewayError({
      code: 'ambiguous_model',
      status: 400,
      param: 'model',
      message: `The model "${model}" is served by several providers; name one: ${serving.map((provider) => `${provider.id}/${model}`).join(', ')}.`,
    });
  }
  const catchAll = registry.list().filter(isCatchAll);
  if (catchAll.length === 1) return { provider: catchAll[0]!, model, reason: 'requested' };
  if (catchAll.length > 1) {
    throw new GatewayError({
      code: 'ambiguous_model',
      status: 400,
      param: 'model',
      message: `The model "${model}" could be served by several providers; name one: ${catchAll.map((provider) => `${provider.id}/${model}`).join(', ')}.`,
    });
  }
  throw new GatewayError({
    code: 'model_not_found',
    status: 404,
    param: 'model',
    message: `The model "${model}" does not exist or no configured provider serves it. Available: ${available(registry)}.`,
  });
}
