import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Usage } from '../core/index.js';
import { computeCost } from './compute-cost.js';
import { CatalogError, loadCatalogFile, type CatalogIssue } from './load-catalog-file.js';
import { lookupCandidates } from './model-id-candidates.js';
import type { ModelInfo } from './model-info.js';

/** The catalog shipped with the gateway (catalog/models.json at the package root). */
export const BUILTIN_CATALOG_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../catalog/models.json');

/** A model found in the catalog, with what applies to this particular id. */
export interface ResolvedModel {
  info: ModelInfo;
  /** Price multiplier for this id (Bedrock regional endpoints). */
  priceMultiplier: number;
}

const FREE: ModelInfo = { provider: 'openrouter', id: ':free', pricing: { input: 0, output: 0 } };

/**
 * Model facts and prices by provider type and model id. Later entries (users' files) replace
 * earlier ones with the same provider and id. Lookups go through the id variants of
 * model-id-candidates.ts (dated snapshots, vendor prefixes, Bedrock profiles, OpenRouter ids).
 */
export class ModelCatalog {
  private readonly entries = new Map<string, ModelInfo>();

  constructor(models: Iterable<ModelInfo> = []) {
    for (const model of models) this.add(model);
  }

  /** Load and merge files in order; throws CatalogError naming every problem. */
  static fromFiles(files: readonly string[]): ModelCatalog {
    const catalog = new ModelCatalog();
    const issues: CatalogIssue[] = [];
    for (const file of files) {
      const loaded = loadCatalogFile(file);
      issues.push(...loaded.issues);
      for (const model of loaded.models ?? []) catalog.add(model);
    }
    if (issues.length > 0) throw new CatalogError(issues);
    return catalog;
  }

  add(model: ModelInfo): void {
    this.entries.set(`${model.provider}\u0000${model.id}`, model);
    for (const alias of model.aliases ?? []) this.entries.set(`${model.provider}\u0000${alias}`, model);
  }

  /** The entry itself, with `sameAs` facts merged in (own fields win). */
  private expand(model: ModelInfo, depth = 0): ModelInfo {
    if (model.sameAs === undefined || depth > 4) return model;
    const slash = model.sameAs.indexOf('/');
    const base = this.entries.get(`${model.sameAs.slice(0, slash)}\u0000${model.sameAs.slice(slash + 1)}`);
    if (base === undefined) return model;
    const expanded = this.expand(base, depth + 1);
    return { ...expanded, ...model, capabilities: { ...expanded.capabilities, ...model.capabilities } };
  }

  resolve(providerType: string, model: string, providerId?: string): ResolvedModel | undefined {
    for (const [provider, id] of lookupCandidates(providerType, model, providerId)) {
      const found = this.entries.get(`${provider}\u0000${id}`);
      if (found === undefined) continue;
      const info = this.expand(found);
      const regional = providerType === 'bedrock' && !model.startsWith('global.');
      return { info, priceMultiplier: regional ? (info.pricing?.regionalMultiplier ?? 1) : 1 };
    }
    // OpenRouter's ":free" variants cost nothing.
    if (providerType === 'openrouter' && model.endsWith(':free')) return { info: { ...FREE, id: model }, priceMultiplier: 1 };
    return undefined;
  }

  lookup(provider: string, model: string, providerId?: string): ModelInfo | undefined {
    return this.resolve(provider, model, providerId)?.info;
  }

  list(provider?: string): ModelInfo[] {
    const seen = new Set<ModelInfo>();
    for (const model of this.entries.values()) if (provider === undefined || model.provider === provider) seen.add(model);
    return [...seen].map((model) => this.expand(model));
  }

  /** Cost in USD; null when the model or its price is unknown (never 0 for unknown). */
  cost(provider: string, model: string, usage: Usage, providerId?: string): number | null {
    const resolved = this.resolve(provider, model, providerId);
    const pricing = resolved?.info.pricing;
    return pricing === undefined ? null : computeCost(pricing, usage, resolved!.priceMultiplier);
  }
}
