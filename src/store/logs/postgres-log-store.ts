import { tryParseJson } from '../../json/parse-json.js';
import { migratePostgres } from '../migrations.js';
import type { PostgresPool } from '../postgres-pool.js';
import { LOG_MIGRATIONS } from './log-migrations.js';
import {
  aggregateRowFrom,
  aggregateSql,
  decodeCursor,
  encodeCursor,
  listSql,
  rowBytes,
  whereClause,
  type AggregateOptions,
  type AggregateRow,
  type LogFilter,
  type Sql,
} from './log-query.js';
import { LOG_COLUMN_NAMES, rowFromDatabase, rowValues, type LogRow } from './log-row.js';
import type { LogPage, LogStore } from './log-store.js';

const COLUMNS = [...LOG_COLUMN_NAMES, 'row_bytes'];
const DELETE_CHUNK = 2000;

/** "?" placeholders → "$1", "$2", ... (the shared SQL has no "?" elsewhere). */
function numbered(sql: Sql): { text: string; values: unknown[] } {
  let index = 0;
  return { text: sql.text.replace(/\?/g, () => `$${++index}`), values: sql.params };
}

/**
 * The request log in PostgreSQL (shared by every gateway instance). One multi-row insert per
 * batch, `on conflict (log_id) do nothing`, so replays are harmless. The pool is the shared one
 * from `stores.postgres`; it is not closed here.
 */
export class PostgresLogStore implements LogStore {
  readonly kind = 'postgres' as const;
  private readonly pool: PostgresPool;

  constructor(pool: PostgresPool) {
    this.pool = pool;
  }

  async migrate(): Promise<void> {
    await migratePostgres(this.pool, 'logs', LOG_MIGRATIONS);
  }

  async insert(rows: readonly LogRow[]): Promise<void> {
    if (rows.length === 0) return;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows) {
      const rowValuesList = rowValues(row);
      rowValuesList.push(rowBytes(rowValuesList));
      const start = values.length;
      tuples.push(`(${rowValuesList.map((_, index) => `$${start + index + 1}`).join(', ')})`);
      values.push(...rowValuesList);
    }
    await this.pool.query(
      `insert into request_logs (${COLUMNS.join(', ')}) values ${tuples.join(', ')} on conflict (log_id) do nothing`,
      values,
    );
  }

  async list(filter: LogFilter, limit: number, cursor?: string): Promise<LogPage> {
    const { text, values } = numbered(
      listSql(filter, 'ilike', limit, cursor === undefined ? undefined : decodeCursor(cursor)),
    );
    const result = await this.pool.query<Record<string, unknown>>(text, values);
    const rows = result.rows.slice(0, limit).map((row) => rowFromDatabase(row, tryParseJson));
    const last = rows.at(-1);
    return {
      rows,
      ...(result.rows.length > limit && last !== undefined ? { nextCursor: encodeCursor(last) } : {}),
    };
  }

  async get(id: string): Promise<LogRow | undefined> {
    const result = await this.pool.query<Record<string, unknown>>(
      'select * from request_logs where log_id = $1 or request_id = $1 order by case when log_id = $1 then 0 else 1 end, started_at desc limit 1',
      [id],
    );
    const found = result.rows[0];
    return found === undefined ? undefined : rowFromDatabase(found, tryParseJson);
  }

  async aggregate(filter: LogFilter, options: AggregateOptions): Promise<AggregateRow[]> {
    const { text, values } = numbered(aggregateSql(filter, 'ilike', options));
    const result = await this.pool.query<Record<string, unknown>>(text, values);
    return result.rows.map(aggregateRowFrom);
  }

  async count(filter: LogFilter = {}): Promise<number> {
    const where = whereClause(filter, 'ilike');
    const { text, values } = numbered({
      text: `select count(*) as n from request_logs ${where.text}`,
      params: where.params,
    });
    const result = await this.pool.query<{ n: string }>(text, values);
    return Number(result.rows[0]?.n ?? 0);
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.pool.query(
        `delete from request_logs where log_id in (select log_id from request_logs where started_at < $1 limit ${DELETE_CHUNK})`,
        [cutoff],
      );
      total += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < DELETE_CHUNK) break;
    }
    return total;
  }

  /**
   * The stored size of the records (sum of their row sizes). PostgreSQL does not give space
   * back to the file system without VACUUM FULL, so the physical size cannot be the bound;
   * freed space is reused by new rows after (auto)vacuum.
   */
  async sizeBytes(): Promise<number> {
    const result = await this.pool.query<{ bytes: string | null }>(
      'select sum(row_bytes) as bytes from request_logs',
    );
    return Number(result.rows[0]?.bytes ?? 0);
  }

  async shrinkTo(targetBytes: number): Promise<number> {
    const stats = await this.pool.query<{ n: string; bytes: string | null }>(
      'select count(*) as n, sum(row_bytes) as bytes from request_logs',
    );
    const count = Number(stats.rows[0]?.n ?? 0);
    let excess = Number(stats.rows[0]?.bytes ?? 0) - targetBytes;
    if (excess <= 0 || count === 0) return 0;
    const average = (excess + targetBytes) / count;
    let total = 0;
    while (excess > 0) {
      // Oldest first, in chunks sized from the average row, so little more than the excess goes.
      const chunk = Math.max(1, Math.min(DELETE_CHUNK, Math.ceil(excess / average)));
      const result = await this.pool.query<{ row_bytes: number }>(
        `delete from request_logs where log_id in (select log_id from request_logs order by started_at, log_id limit ${chunk}) returning row_bytes`,
      );
      if (result.rows.length === 0) break;
      total += result.rows.length;
      for (const row of result.rows) excess -= Number(row.row_bytes);
    }
    return total;
  }

  async close(): Promise<void> {
    // The pool belongs to SharedStores.
  }
}
