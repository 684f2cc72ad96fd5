/**
 * The request log's queries, written once for SQLite and PostgreSQL: filters, keyset pages,
 * and aggregates with nearest-rank latency percentiles computed by window functions (both
 * databases have them). SQL uses "?" placeholders; the PostgreSQL store numbers them.
 */

export interface LogFilter {
  /** Epoch milliseconds, inclusive. */
  from?: number;
  /** Epoch milliseconds, exclusive. */
  to?: number;
  /** Virtual key name or id. */
  virtualKey?: string;
  team?: string;
  customer?: string;
  provider?: string;
  /** The model requested, used or reported. */
  model?: string;
  /** "200", "4xx", "5xx", "error" (>= 400) or "success" (< 400). */
  status?: string;
  minLatencyMs?: number;
  /** Substring of the request id, error message, model or content. */
  text?: string;
  requestId?: string;
  traceId?: string;
  surface?: string;
  errorClass?: string;
}

export const GROUP_COLUMNS = {
  key: 'virtual_key',
  team: 'team_id',
  customer: 'customer_id',
  model: 'model',
  provider: 'provider',
  status: 'status',
  surface: 'surface',
  errorClass: 'error_class',
} as const;

export type GroupBy = keyof typeof GROUP_COLUMNS;

export interface AggregateOptions {
  groupBy?: GroupBy;
  /** Time bucket width in milliseconds; absent: one bucket for the whole range. */
  bucketMs?: number;
}

export interface AggregateRow {
  /** Bucket start, epoch milliseconds (0 without buckets). */
  bucket: number;
  group: string | null;
  requests: number;
  errors: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costUsd: number;
  latencyMs: {
    avg: number | null;
    p50: number | null;
    p90: number | null;
    p95: number | null;
    p99: number | null;
    max: number | null;
  };
  overheadMsAvg: number | null;
  upstreamMsAvg: number | null;
  firstByteMsAvg: number | null;
}

export interface Sql {
  text: string;
  params: unknown[];
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** WHERE clause for a filter; `like` is LIKE (SQLite: case-insensitive) or ILIKE (PostgreSQL). */
export function whereClause(filter: LogFilter, like: 'like' | 'ilike'): Sql {
  const parts: string[] = [];
  const params: unknown[] = [];
  const equal = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    parts.push(`${column} = ?`);
    params.push(value);
  };
  if (filter.from !== undefined) {
    parts.push('started_at >= ?');
    params.push(Math.floor(filter.from));
  }
  if (filter.to !== undefined) {
    parts.push('started_at < ?');
    params.push(Math.floor(filter.to));
  }
  if (filter.virtualKey !== undefined) {
    parts.push('(virtual_key = ? or virtual_key_id = ?)');
    params.push(filter.virtualKey, filter.virtualKey);
  }
  equal('team_id', filter.team);
  equal('customer_id', filter.customer);
  equal('provider', filter.provider);
  if (filter.model !== undefined) {
    parts.push('(model = ? or model_requested = ? or model_reported = ?)');
    params.push(filter.model, filter.model, filter.model);
  }
  if (filter.status !== undefined) {
    const status = filter.status.toLowerCase();
    if (/^\d{3}$/.test(status)) {
      parts.push('status = ?');
      params.push(Number(status));
    } else if (/^[1-5]xx$/.test(status)) {
      parts.push('status >= ? and status < ?');
      params.push(Number(status[0]) * 100, Number(status[0]) * 100 + 100);
    } else if (status === 'error') parts.push('status >= 400');
    else if (status === 'success') parts.push('status < 400');
  }
  if (filter.minLatencyMs !== undefined) {
    parts.push('total_ms >= ?');
    params.push(filter.minLatencyMs);
  }
  equal('request_id', filter.requestId);
  equal('trace_id', filter.traceId);
  equal('surface', filter.surface);
  equal('error_class', filter.errorClass);
  if (filter.text !== undefined && filter.text !== '') {
    const pattern = `%${escapeLike(filter.text)}%`;
    const columns = [
      'request_id',
      'error_message',
      'model_requested',
      'model',
      'metadata',
      'request_content',
      'response_content',
    ];
    parts.push(`(${columns.map((column) => `${column} ${like} ? escape '\\'`).join(' or ')})`);
    for (let index = 0; index < columns.length; index++) params.push(pattern);
  }
  return { text: parts.length === 0 ? '' : `where ${parts.join(' and ')}`, params };
}

/** Listing columns: everything but the content (fetched per record). */
export const LIST_COLUMNS = [
  'log_id',
  'request_id',
  'trace_id',
  'started_at',
  'surface',
  'operation',
  'path',
  'stream',
  'virtual_key',
  'virtual_key_id',
  'team_id',
  'customer_id',
  'provider',
  'provider_type',
  'model_requested',
  'model',
  'model_reported',
  'key_name',
  'status',
  'error_code',
  'error_class',
  'error_message',
  'finish_reason',
  'attempts',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'cache',
  'warnings',
  'total_ms',
  'upstream_ms',
  'first_byte_ms',
  'overhead_ms',
  'passthrough',
  'client_aborted',
  'interrupted',
  'metadata',
  'content_mode',
].join(', ');

export interface PageCursor {
  startedAt: number;
  logId: string;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(`${cursor.startedAt}:${cursor.logId}`).toString('base64url');
}

export function decodeCursor(text: string): PageCursor | undefined {
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const startedAt = Number(decoded.slice(0, colon));
  if (!Number.isSafeInteger(startedAt)) return undefined;
  return { startedAt, logId: decoded.slice(colon + 1) };
}

/** Newest first, keyset pagination on (started_at, log_id). */
export function listSql(
  filter: LogFilter,
  like: 'like' | 'ilike',
  limit: number,
  cursor: PageCursor | undefined,
): Sql {
  const where = whereClause(filter, like);
  const params = [...where.params];
  let text = where.text;
  if (cursor !== undefined) {
    text += `${text === '' ? 'where' : ' and'} (started_at < ? or (started_at = ? and log_id < ?))`;
    params.push(cursor.startedAt, cursor.startedAt, cursor.logId);
  }
  params.push(limit + 1);
  return {
    text: `select ${LIST_COLUMNS} from request_logs ${text} order by started_at desc, log_id desc limit ?`,
    params,
  };
}

const PERCENTILES = [50, 90, 95, 99] as const;

export function aggregateSql(filter: LogFilter, like: 'like' | 'ilike', options: AggregateOptions): Sql {
  const where = whereClause(filter, like);
  const bucketMs = options.bucketMs === undefined ? undefined : Math.max(1, Math.floor(options.bucketMs));
  const bucket = bucketMs === undefined ? '0' : `(started_at / ${bucketMs}) * ${bucketMs}`;
  const group = options.groupBy === undefined ? 'null' : `${GROUP_COLUMNS[options.groupBy]}`;
  const groupText = options.groupBy === 'status' ? `cast(${group} as text)` : group;
  const percentile = (p: number): string =>
    `min(case when total_ms is not null and rn * 100 >= n * ${p} then total_ms end) as p${p}`;
  const text = `with f as (
  select ${bucket} as bucket, ${groupText} as grp, status, total_ms, overhead_ms, upstream_ms, first_byte_ms,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd
  from request_logs ${where.text}
), r as (
  select f.*,
    row_number() over (partition by bucket, grp order by case when total_ms is null then 1 else 0 end, total_ms) as rn,
    count(total_ms) over (partition by bucket, grp) as n
  from f
)
select bucket, grp, count(*) as requests, sum(case when status >= 400 then 1 else 0 end) as errors,
  coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
  coalesce(sum(cache_read_tokens), 0) as cache_read_tokens, coalesce(sum(cache_write_tokens), 0) as cache_write_tokens,
  coalesce(sum(reasoning_tokens), 0) as reasoning_tokens, coalesce(sum(cost_usd), 0) as cost_usd,
  avg(total_ms) as latency_avg, ${PERCENTILES.map(percentile).join(', ')}, max(total_ms) as latency_max,
  avg(overhead_ms) as overhead_avg, avg(upstream_ms) as upstream_avg, avg(first_byte_ms) as first_byte_avg
from r group by bucket, grp order by bucket, grp`;
  return { text, params: where.params };
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function aggregateRowFrom(source: Record<string, unknown>): AggregateRow {
  const requests = Number(source.requests);
  const errors = Number(source.errors);
  return {
    bucket: Number(source.bucket),
    group: source.grp === null || source.grp === undefined ? null : String(source.grp),
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    inputTokens: Number(source.input_tokens),
    outputTokens: Number(source.output_tokens),
    cacheReadTokens: Number(source.cache_read_tokens),
    cacheWriteTokens: Number(source.cache_write_tokens),
    reasoningTokens: Number(source.reasoning_tokens),
    costUsd: Number(source.cost_usd),
    latencyMs: {
      avg: numberOrNull(source.latency_avg),
      p50: numberOrNull(source.p50),
      p90: numberOrNull(source.p90),
      p95: numberOrNull(source.p95),
      p99: numberOrNull(source.p99),
      max: numberOrNull(source.latency_max),
    },
    overheadMsAvg: numberOrNull(source.overhead_avg),
    upstreamMsAvg: numberOrNull(source.upstream_avg),
    firstByteMsAvg: numberOrNull(source.first_byte_avg),
  };
}

/** Approximate stored size of a row (what the PostgreSQL size bound counts). */
export function rowBytes(values: readonly unknown[]): number {
  let bytes = 64;
  for (const value of values) bytes += typeof value === 'string' ? value.length : 8;
  return bytes;
}
