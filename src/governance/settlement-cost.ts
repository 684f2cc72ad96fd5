import { computeCost } from '../catalog/compute-cost.js';
import { isUnbilledOperation, type RequestRecord } from '../pipeline/request-record.js';
import type { Estimate } from './estimate-request.js';
import type { GovernanceSettings } from './governance-schema.js';
import { NANO } from './governance-state.js';

/**
 * What a finished request is charged, in nano-USD, and how many tokens it used:
 *  - no provider answered (refused, failed, cache hit): nothing;
 *  - an operation providers do not bill (count tokens, list models): nothing, with or without
 *    an answer (it has no usage, and its estimate must not be charged in its place);
 *  - the catalog priced its usage: that cost;
 *  - usage without a catalog price: the configured fallback price, 0 for "free", else the
 *    reservation estimate;
 *  - no usage reported (stream cut off, client gone before the end): the reservation estimate,
 *    which is an upper bound.
 * An attempt the client abandoned while waiting counts as answered: the provider may bill it.
 */
export function settlementCost(
  record: RequestRecord,
  estimate: Estimate | undefined,
  settings: GovernanceSettings,
): { costNano: number; tokens: number } {
  if (isUnbilledOperation(record.operation)) return { costNano: 0, tokens: 0 };
  const answered = record.attempts.some(
    (attempt) => attempt.outcome === 'success' || attempt.outcome === 'aborted',
  );
  if (!answered) return { costNano: 0, tokens: 0 };
  const usage = record.usage;
  const counted =
    usage !== undefined && (usage.inputTokens !== undefined || usage.outputTokens !== undefined);
  const tokens = counted ? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0) : (estimate?.tokens ?? 0);
  if (typeof record.costUsd === 'number') return { costNano: Math.round(record.costUsd * NANO), tokens };
  if (counted && typeof settings.unpricedModels === 'object') {
    return { costNano: Math.round((computeCost(settings.unpricedModels, usage) ?? 0) * NANO), tokens };
  }
  if (counted && settings.unpricedModels === 'free') return { costNano: 0, tokens };
  return { costNano: estimate?.costNano ?? 0, tokens };
}
