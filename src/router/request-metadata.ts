import { GatewayError } from '../core/index.js';
import { isRecord, tryParseJson } from '../json/parse-json.js';
import type { RequestContext } from '../pipeline/request-context.js';

const PARSED = Symbol('router.metadata-header');

/**
 * The request's metadata: what plugins put on the record plus the x-switchyard-metadata header,
 * a JSON object of string values (numbers and booleans are turned into strings). Header entries
 * are copied onto the record (without replacing what is there) so they reach the request log.
 */
export function requestMetadata(context: RequestContext): Record<string, string> {
  const record = context.record;
  if (context.state.has(PARSED)) return record.metadata;
  context.state.set(PARSED, true);
  const header = context.request.headers['x-switchyard-metadata'];
  if (typeof header !== 'string' || header.trim() === '') return record.metadata;
  const parsed = tryParseJson(header);
  if (!isRecord(parsed)) {
    throw new GatewayError({
      code: 'invalid_request',
      status: 400,
      param: 'x-switchyard-metadata',
      message: 'The x-switchyard-metadata header must be a JSON object, e.g. {"team":"search"}.',
    });
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (name in record.metadata) continue;
    if (typeof value === 'string') record.metadata[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') record.metadata[name] = String(value);
  }
  return record.metadata;
}
