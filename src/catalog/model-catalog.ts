import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Usage } from '../core/index.js';
import { parseJson } from '../json/parse-json.js';
import { computeCost } from './compute-cost.js';
import type { ModelInfo } from './model-info.js';

/** The catalog shipped with the gateway (catalog/models.json at the package root). */
export const BUILTIN_CATALOG_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../catalog/models.json');

interface CatalogFile {
  models: ModelInfo[];
}

/** Dated snapshot suffixes providers append: -2024-07-18, -20250514, @20241022. */
const DATE_SUFFIX = /(?:[-@]\d{4}-?\d{2}-?\d{2}|-\d{4})$/;

/**
 * Model facts and prices by provider type and model id. Later entries (the user's file) replace
 * earlier ones with the same provider and id. Lookups try the exact id, aliases, then the id
 * without a dated snapshot suffix.
 */
export class ModelCatalog {
  private readonly entries = new Map<string, ModelInfo>();

  constructor(models: Iterable<ModelInfo> = []) {
    for (const model of models) this.add(model);
  }

  static fromFiles(files: readonly string[]): ModelCatalog {
    const catalog = new ModelCatalog();
    for (const file of files) {
      const parsed = parseJson(readFileSync(file, 'utf8'), `catalog file ${file}`) as CatalogFile;
      for (const model of parsed.models) catalog.add(model);
    }
    return catalog;
  }

  add(model: ModelInfo): void {
    this.entries.set(`${model.provider}\u0000${model.id}`, model);
    for (const alias of model.aliases ?? []) this.entries.set(`${model.provider}\u0000${alias}`, model);
  }

  lookup(provider: string, model: string): ModelInfo | undefined {
    const exact = this.entries.get(`${provider}\u0000${model}`);
    if (exact !== undefined) return exact;
    const undated = model.replace(DATE_SUFFIX, '');
    return undated === model ? undefined : this.entries.get(`${provider}\u0000${undated}`);
  }

  list(provider?: string): ModelInfo[] {
    const seen = new Set<ModelInfo>();
    for (const model of this.entries.values()) if (provider === undefined || model.provider === provider) seen.add(model);
    return [...seen];
  }

  /** Cost in USD; null when the model or its price is unknown (never 0 for unknown). */
  cost(provider: string, model: string, usage: Usage): number | null {
    const pricing = this.lookup(provider, model)?.pricing;
    return pricing === undefined ? null : computeCost(pricing, usage);
  }
}
