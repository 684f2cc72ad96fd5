import { reportedCost } from '../catalog/reported-cost.js';
import { isUnbilledOperation, type RequestRecord } from './request-record.js';
import type { GatewayRuntime } from './runtime.js';

/**
 * Price the request from its usage and the catalog, once: for complete responses before the
 * headers are written, for streams when they end (before completion hooks, so logs and budgets
 * see it). A cost the provider reported itself (xAI, OpenRouter, Perplexity) wins; otherwise
 * the upstream model id is tried first, then the id the provider reported. Unknown models, and
 * answers without usage, stay null (unknown), never 0 — except operations providers do not bill
 * (token counts, model listings), which cost 0.
 */
export function priceRequest(runtime: GatewayRuntime, record: RequestRecord): void {
  if (record.costUsd !== undefined || record.providerType === undefined || record.model === undefined) return;
  if (isUnbilledOperation(record.operation)) {
    record.costUsd = 0;
    return;
  }
  const usage = record.usage;
  if (usage === undefined) {
    if (record.status >= 200 && record.status < 300) record.costUsd = null;
    return;
  }
  const reported = reportedCost(record.providerType, usage);
  if (reported !== undefined) {
    record.costUsd = reported;
    return;
  }
  let cost = runtime.catalog.cost(record.providerType, record.model, usage, record.provider);
  if (cost === null && record.modelReported !== undefined && record.modelReported !== record.model) {
    cost = runtime.catalog.cost(record.providerType, record.modelReported, usage, record.provider);
  }
  record.costUsd = cost;
}
