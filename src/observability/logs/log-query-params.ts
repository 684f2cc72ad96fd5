import { parseDuration } from '../../config/parse-size.js';
import { invalidRequest } from '../../core/index.js';
import { GROUP_COLUMNS, type GroupBy, type LogFilter } from '../../store/logs/log-query.js';

function time(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed))
    throw invalidRequest(`${name}: "${value}" is not a time (ISO 8601 or epoch milliseconds)`, name);
  return parsed;
}

function text(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

/** Filters of GET /api/logs, /api/logs/aggregate and /api/logs/tail (docs/observability.md). */
export function logFilterFrom(query: URLSearchParams | undefined): LogFilter {
  const params = query ?? new URLSearchParams();
  const filter: LogFilter = {};
  const since = text(params, 'since');
  if (since !== undefined) {
    const ms = parseDuration(since);
    if (ms === undefined)
      throw invalidRequest(`since: "${since}" is not a duration (e.g. 15m, 24h)`, 'since');
    filter.from = Date.now() - ms;
  }
  const from = time(params, 'from');
  if (from !== undefined) filter.from = from;
  const to = time(params, 'to');
  if (to !== undefined) filter.to = to;
  const assign = (name: string, key: keyof LogFilter): void => {
    const value = text(params, name);
    if (value !== undefined) (filter as Record<string, unknown>)[key] = value;
  };
  assign('key', 'virtualKey');
  assign('team', 'team');
  assign('customer', 'customer');
  assign('provider', 'provider');
  assign('model', 'model');
  assign('status', 'status');
  assign('q', 'text');
  assign('requestId', 'requestId');
  assign('traceId', 'traceId');
  assign('surface', 'surface');
  assign('errorClass', 'errorClass');
  if (filter.status !== undefined && !/^(\d{3}|[1-5]xx|error|success)$/i.test(filter.status)) {
    throw invalidRequest('status: use a code (200), a class (4xx), "error" or "success"', 'status');
  }
  const minLatency = text(params, 'minLatencyMs');
  if (minLatency !== undefined) {
    const value = Number(minLatency);
    if (!Number.isFinite(value) || value < 0)
      throw invalidRequest('minLatencyMs must be a non-negative number', 'minLatencyMs');
    filter.minLatencyMs = value;
  }
  return filter;
}

export function pageLimitFrom(query: URLSearchParams | undefined): number {
  const value = query?.get('limit');
  if (value === null || value === undefined || value === '') return 50;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw invalidRequest('limit must be an integer from 1 to 1000', 'limit');
  return limit;
}

export function aggregateOptionsFrom(query: URLSearchParams | undefined): {
  groupBy?: GroupBy;
  bucketMs?: number;
} {
  const groupBy = query?.get('groupBy') ?? undefined;
  const bucket = query?.get('bucket') ?? undefined;
  const options: { groupBy?: GroupBy; bucketMs?: number } = {};
  if (groupBy !== undefined && groupBy !== '') {
    if (!(groupBy in GROUP_COLUMNS))
      throw invalidRequest(`groupBy: one of ${Object.keys(GROUP_COLUMNS).join(', ')}`, 'groupBy');
    options.groupBy = groupBy as GroupBy;
  }
  if (bucket !== undefined && bucket !== '') {
    const ms = parseDuration(bucket);
    if (ms === undefined || ms < 1000)
      throw invalidRequest('bucket: a duration of at least 1s (e.g. 1m, 1h, 1d)', 'bucket');
    options.bucketMs = Math.floor(ms);
  }
  return options;
}
