import { GatewayError } from '../core/index.js';
import { parseDuration } from '../config/parse-size.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { RequestDispatch } from './interceptors/dispatch-call.js';
import { groupTargets, type Target } from './target.js';

function header(context: RequestContext, name: string): string | undefined {
  const value = context.request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function badHeader(name: string, message: string): GatewayError {
  return new GatewayError({ code: 'invalid_request', status: 400, param: name, message });
}

/**
 * The per-request dispatch state, with the client's per-request controls read and checked:
 * x-switchyard-key (pin a provider key by name), x-switchyard-retries (retries per group, 0-10)
 * and x-switchyard-timeout (a shorter deadline: milliseconds or a duration like "30s").
 */
export function createRequestDispatch(context: RequestContext, targets: readonly Target[], options: { keyPinning: boolean }): RequestDispatch {
  const groups = groupTargets(targets);
  let pinnedKey = options.keyPinning ? header(context, 'x-switchyard-key') : undefined;
  if (pinnedKey !== undefined && !targets.some((target) => target.provider.settings.keys.some((key) => key.name === pinnedKey))) {
    throw badHeader('x-switchyard-key', `No provider this request may go to has a key named "${pinnedKey}".`);
  }
  if (!options.keyPinning) pinnedKey = undefined;
  const retriesText = header(context, 'x-switchyard-retries');
  let maxRetries: number | undefined;
  if (retriesText !== undefined) {
    maxRetries = Number(retriesText);
    if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) throw badHeader('x-switchyard-retries', 'x-switchyard-retries must be a whole number from 0 to 10.');
  }
  const timeoutText = header(context, 'x-switchyard-timeout');
  let timeoutMs: number | undefined;
  if (timeoutText !== undefined) {
    timeoutMs = parseDuration(/^\d+(\.\d+)?$/.test(timeoutText) ? Number(timeoutText) : timeoutText);
    if (timeoutMs === undefined || timeoutMs <= 0) throw badHeader('x-switchyard-timeout', 'x-switchyard-timeout must be milliseconds or a duration such as 30s.');
  }
  return {
    context,
    groups,
    deadline: Infinity,
    attempts: 0,
    avoid: new Set(),
    failedTargets: new Set(),
    busyTargets: new Set(),
    refusedKeys: new Set(),
    limitedKeys: new Set(),
    pinnedKey,
    maxRetries,
    timeoutMs,
    lastError: undefined,
    budgetSpent: false,
  };
}
