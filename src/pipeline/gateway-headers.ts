import type { RequestRecord } from './request-record.js';

/**
 * Compact attempt log: "provider/model:key:status:latency[:reason]" joined by ", ", where status
 * is the upstream HTTP status or, without one, the error code (circuit_open, queue_full, ...) and
 * reason says why the attempt was made ("fallback", "retry after 429 (key rotated)", "hedge").
 */
export function attemptsHeader(record: RequestRecord): string {
  let out = '';
  for (const attempt of record.attempts) {
    if (out !== '') out += ', ';
    out += `${attempt.provider}/${attempt.model}:${attempt.key ?? '-'}:${attempt.status || attempt.errorCode || 'error'}:${Math.round(attempt.latencyMs)}ms`;
    if (attempt.reason !== undefined) out += `:${attempt.reason.replace(/,/g, ';')}`;
  }
  return out;
}

/** Header values must be visible ASCII. */
function asciiHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/** The request's cost in US dollars: a response header, or on streams a trailer (usage comes last). */
export const COST_HEADER = 'x-switchyard-cost-usd';

/** Eight decimals; `unknown` for a model or answer that could not be priced (never 0). */
export function costHeaderValue(costUsd: number | null): string {
  return costUsd === null ? 'unknown' : costUsd.toFixed(8);
}

/**
 * The gateway's own response headers, read from the request record: request id, provider and
 * model used, attempts, warnings and the gateway's processing time (excluding upstream time).
 */
export function gatewayHeaders(record: RequestRecord): Record<string, string> {
  const headers: Record<string, string> = { 'x-request-id': record.id };
  if (record.provider !== undefined) headers['x-switchyard-provider'] = record.provider;
  if (record.model !== undefined) headers['x-switchyard-model'] = asciiHeader(record.model);
  if (record.attempts.length > 0) {
    headers['x-switchyard-attempts'] = String(record.attempts.length);
    headers['x-switchyard-attempt-log'] = asciiHeader(attemptsHeader(record));
  }
  if (record.passthrough) headers['x-switchyard-passthrough'] = 'true';
  if (record.warnings.length > 0) {
    headers['x-switchyard-warnings'] = asciiHeader(
      record.warnings.map((warning) => (warning.param ? `${warning.code}(${warning.param})` : warning.code)).join(', '),
    );
  }
  if (record.cache !== undefined) headers['x-switchyard-cache'] = record.cache;
  if (record.costUsd !== undefined) headers[COST_HEADER] = costHeaderValue(record.costUsd);
  const elapsed = performance.now() - record.start;
  headers['x-switchyard-processing-ms'] = Math.max(0, elapsed - record.timing.upstreamMs).toFixed(3);
  return headers;
}
