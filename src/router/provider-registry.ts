import type { Provider } from '../providers/provider.js';

/** The configured providers by id, in config order. */
export class ProviderRegistry {
  private readonly byId = new Map<string, Provider>();
  /** Bumped by every replace(), so compiled routes know when to rebuild. */
  private generation = 0;

  constructor(providers: Iterable<Provider>) {
    for (const provider of providers) this.byId.set(provider.id, provider);
  }

  get(id: string): Provider | undefined {
    return this.byId.get(id);
  }

  list(): Provider[] {
    return [...this.byId.values()];
  }

  get version(): number {
    return this.generation;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Replace the provider set (config reload). */
  replace(providers: Iterable<Provider>): void {
    this.byId.clear();
    for (const provider of providers) this.byId.set(provider.id, provider);
    this.generation++;
  }
}
