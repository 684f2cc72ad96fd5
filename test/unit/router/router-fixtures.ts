import type { Provider } from '../../../src/providers/provider.js';
import type { ProviderKey, ProviderSettings } from '../../../src/providers/provider-settings.js';
import { HealthRegistry } from '../../../src/router/health/health-registry.js';
import type { Target, TargetGroup } from '../../../src/router/target.js';

/** A deterministic random source (mulberry32), so distributions are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function key(name: string, extra: Partial<ProviderKey> = {}): ProviderKey {
  return { name, value: `sk-${name}`, weight: 1, options: {}, ...extra };
}

/** A provider object with just what routing reads (id, type, settings). */
export function fakeProvider(id: string, settings: Partial<ProviderSettings> = {}): Provider {
  return {
    id,
    type: 'openai-compatible',
    dialect: 'openai-chat',
    settings: {
      id,
      type: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1',
      origin: 'http://127.0.0.1:9',
      basePath: '/v1',
      headers: {},
      timeouts: { connectMs: 1000, headersMs: 1000, idleMs: 1000 },
      keys: [],
      models: [],
      passthrough: true,
      options: {},
      ...settings,
    },
    authenticate: () => undefined,
    mapError: () => {
      throw new Error('not used');
    },
    servesModel: () => false,
    listModels: () => [],
  };
}

export function target(provider: Provider, model: string, weight = 1, group?: TargetGroup): Target {
  return { provider, model, reason: 'requested', weight, ...(group === undefined ? {} : { group }) };
}

export function registry(options: { now?: () => number; prices?: Record<string, number> } = {}): HealthRegistry {
  return new HealthRegistry({
    latencyDecayMs: 10_000,
    priceOf: (candidate) => options.prices?.[`${candidate.provider.id}/${candidate.model}`] ?? Infinity,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

/** How often each target id was picked over `draws` calls. */
export function tally(draws: number, pick: () => Target | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (let index = 0; index < draws; index++) {
    const chosen = pick();
    const id = chosen === undefined ? 'none' : `${chosen.provider.id}/${chosen.model}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
