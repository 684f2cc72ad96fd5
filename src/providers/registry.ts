import type { ProviderDefinition } from './provider.js';
import { BUILTIN_PROVIDERS } from './builtin-providers.js';

const definitions = new Map<string, ProviderDefinition>();
for (const definition of BUILTIN_PROVIDERS) definitions.set(definition.type, definition);

export function getProviderDefinition(type: string): ProviderDefinition | undefined {
  return definitions.get(type);
}

export function listProviderDefinitions(): ProviderDefinition[] {
  return [...definitions.values()];
}

/** Register a provider type at run time (plugins, tests). */
export function registerProviderDefinition(definition: ProviderDefinition): void {
  definitions.set(definition.type, definition);
}
