import type { ModelCatalog } from '../../catalog/model-catalog.js';
import type { Target } from '../target.js';

/**
 * The price the "cost" strategy compares: USD per million tokens, blended as 3 input : 1 output
 * (a typical chat request). Infinity when the catalog does not know the model's price.
 */
export function blendedPrice(catalog: ModelCatalog | undefined, target: Target): number {
  const pricing = catalog?.lookup(target.provider.type, target.model)?.pricing;
  if (pricing === undefined) return Infinity;
  return (3 * pricing.input + pricing.output) / 4;
}
