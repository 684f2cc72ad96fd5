import type { RequestRecord } from './request-record.js';
import type { GatewayRuntime } from './runtime.js';

/**
 * Price the request from its usage and the catalog, once. Unknown models stay null (unknown),
 * never 0. The upstream model id is tried first, then the id the provider reported.
 */
export function priceRequest(runtime: GatewayRuntime, record: RequestRecord): void {
  if (record.costUsd !== undefined || record.usage === undefined || record.providerType === undefined || record.model === undefined) return;
  let cost = runtime.catalog.cost(record.providerType, record.model, record.usage);
  if (cost === null && record.modelReported !== undefined && record.modelReported !== record.model) {
    cost = runtime.catalog.cost(record.providerType, record.modelReported, record.usage);
  }
  record.costUsd = cost;
}
