import type { LogSink } from '../../observability/logs/log-pipeline.js';
import type { AggregateOptions, AggregateRow, LogFilter } from './log-query.js';
import type { LogRow } from './log-row.js';

export interface LogPage {
  rows: LogRow[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/**
 * The request log store: SQLite (embedded default) or PostgreSQL. Inserts are idempotent on
 * logId; reads serve the /api/logs query API; deletes serve retention.
 */
export interface LogStore extends LogSink {
  readonly kind: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  list(filter: LogFilter, limit: number, cursor?: string): Promise<LogPage>;
  /** One record with its content, by log id or request id (the newest with that request id). */
  get(id: string): Promise<LogRow | undefined>;
  aggregate(filter: LogFilter, options: AggregateOptions): Promise<AggregateRow[]>;
  count(filter?: LogFilter): Promise<number>;
  /** Delete records that started before `cutoff` (epoch ms). Returns how many. */
  deleteOlderThan(cutoff: number): Promise<number>;
  /** The size the retention bound applies to (see docs/observability.md). */
  sizeBytes(): Promise<number>;
  /** Delete the oldest records until the size is at most `targetBytes`. Returns how many. */
  shrinkTo(targetBytes: number): Promise<number>;
  close(): Promise<void>;
}
