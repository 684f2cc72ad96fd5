import type { AttemptRecord } from '../../pipeline/request-record.js';
import type { Warning } from '../../core/index.js';

/**
 * One request log record as the log store keeps it: the request record flattened into
 * columns (filters and aggregates run on them), with attempts, warnings, metadata and content
 * as JSON text. Plain data: the same object is written to the spool and to the database.
 */
export interface LogRow {
  /** Unique per request handled (the primary key, idempotency key of every write). */
  logId: string;
  /** The x-request-id (the client's when it sent a sane one, so not necessarily unique). */
  requestId: string;
  traceId: string | null;
  /** Epoch milliseconds. */
  startedAt: number;
  surface: string;
  operation: string;
  path: string;
  stream: boolean;
  virtualKey: string | null;
  virtualKeyId: string | null;
  teamId: string | null;
  customerId: string | null;
  provider: string | null;
  providerType: string | null;
  modelRequested: string | null;
  model: string | null;
  modelReported: string | null;
  keyName: string | null;
  status: number;
  errorCode: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  finishReason: string | null;
  attempts: AttemptRecord[];
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  cache: string | null;
  warnings: Warning[];
  totalMs: number | null;
  upstreamMs: number | null;
  firstByteMs: number | null;
  overheadMs: number | null;
  passthrough: boolean;
  clientAborted: boolean;
  /** The gateway died before the request finished: written from the write-ahead entry. */
  interrupted: boolean;
  metadata: Record<string, string>;
  contentMode: string;
  /** Request content (JSON text): parameters only in metadata mode, the redacted body in full mode. */
  requestContent: string | null;
  responseContent: string | null;
}

type ColumnKind = 'text' | 'integer' | 'real' | 'boolean' | 'json';

/** Column name, kind, and the row field it holds. Shared by the SQLite and PostgreSQL stores. */
export const LOG_COLUMNS: ReadonlyArray<readonly [string, ColumnKind, keyof LogRow]> = [
  ['log_id', 'text', 'logId'],
  ['request_id', 'text', 'requestId'],
  ['trace_id', 'text', 'traceId'],
  ['started_at', 'integer', 'startedAt'],
  ['surface', 'text', 'surface'],
  ['operation', 'text', 'operation'],
  ['path', 'text', 'path'],
  ['stream', 'boolean', 'stream'],
  ['virtual_key', 'text', 'virtualKey'],
  ['virtual_key_id', 'text', 'virtualKeyId'],
  ['team_id', 'text', 'teamId'],
  ['customer_id', 'text', 'customerId'],
  ['provider', 'text', 'provider'],
  ['provider_type', 'text', 'providerType'],
  ['model_requested', 'text', 'modelRequested'],
  ['model', 'text', 'model'],
  ['model_reported', 'text', 'modelReported'],
  ['key_name', 'text', 'keyName'],
  ['status', 'integer', 'status'],
  ['error_code', 'text', 'errorCode'],
  ['error_class', 'text', 'errorClass'],
  ['error_message', 'text', 'errorMessage'],
  ['finish_reason', 'text', 'finishReason'],
  ['attempts', 'json', 'attempts'],
  ['input_tokens', 'integer', 'inputTokens'],
  ['output_tokens', 'integer', 'outputTokens'],
  ['cache_read_tokens', 'integer', 'cacheReadTokens'],
  ['cache_write_tokens', 'integer', 'cacheWriteTokens'],
  ['reasoning_tokens', 'integer', 'reasoningTokens'],
  ['cost_usd', 'real', 'costUsd'],
  ['cache', 'text', 'cache'],
  ['warnings', 'json', 'warnings'],
  ['total_ms', 'real', 'totalMs'],
  ['upstream_ms', 'real', 'upstreamMs'],
  ['first_byte_ms', 'real', 'firstByteMs'],
  ['overhead_ms', 'real', 'overheadMs'],
  ['passthrough', 'boolean', 'passthrough'],
  ['client_aborted', 'boolean', 'clientAborted'],
  ['interrupted', 'boolean', 'interrupted'],
  ['metadata', 'json', 'metadata'],
  ['content_mode', 'text', 'contentMode'],
  ['request_content', 'text', 'requestContent'],
  ['response_content', 'text', 'responseContent'],
];

export const LOG_COLUMN_NAMES = LOG_COLUMNS.map(([name]) => name);

const COLUMN_FIELDS = LOG_COLUMNS.map(([, , field]) => field);
const COLUMN_KINDS = LOG_COLUMNS.map(([, kind]) => kind);

/** Row → the values bound to an insert, in LOG_COLUMNS order (a plain loop: it runs per row). */
export function rowValues(row: LogRow): unknown[] {
  const values = new Array<unknown>(COLUMN_FIELDS.length);
  for (let index = 0; index < COLUMN_FIELDS.length; index++) {
    const value = row[COLUMN_FIELDS[index]!];
    const kind = COLUMN_KINDS[index];
    if (value === null || value === undefined) values[index] = null;
    else if (kind === 'json') values[index] = JSON.stringify(value);
    else if (kind === 'boolean') values[index] = value ? 1 : 0;
    else if (kind === 'integer') values[index] = Math.round(value as number);
    else values[index] = value;
  }
  return values;
}

/** A database row (snake_case columns) → LogRow. */
export function rowFromDatabase(
  source: Record<string, unknown>,
  parseJsonText: (text: string) => unknown,
): LogRow {
  const row: Record<string, unknown> = {};
  for (const [name, kind, field] of LOG_COLUMNS) {
    const value = source[name];
    if (value === null || value === undefined) {
      row[field] = kind === 'json' ? (field === 'metadata' ? {} : []) : kind === 'boolean' ? false : null;
    } else if (kind === 'json') row[field] = parseJsonText(String(value));
    else if (kind === 'boolean') row[field] = value === true || value === 1 || value === '1';
    else if (kind === 'integer' || kind === 'real') row[field] = Number(value);
    else row[field] = value;
  }
  return row as unknown as LogRow;
}
