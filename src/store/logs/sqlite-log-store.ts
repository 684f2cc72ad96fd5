import { tryParseJson } from '../../json/parse-json.js';
import { migrateSqlite } from '../migrations.js';
import { openSqlite, type SqliteDatabase } from '../sqlite-database.js';
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
} from './log-query.js';
import { LOG_COLUMN_NAMES, rowFromDatabase, rowValues, type LogRow } from './log-row.js';
import type { LogPage, LogStore } from './log-store.js';

const DELETE_CHUNK = 2000;

/**
 * The request log in a SQLite file of its own (WAL). Writes are synchronous but batched: one
 * transaction per batch. The file uses incremental auto-vacuum so retention gives space back.
 */
export class SqliteLogStore implements LogStore {
  readonly kind = 'sqlite' as const;
  private readonly db: SqliteDatabase;
  private readonly insertStatement;
  private readonly insertMany;

  constructor(file: string) {
    this.db = openSqlite(file);
    // Only takes effect on a new file (before any table exists), which is when it matters.
    this.db.pragma('auto_vacuum = INCREMENTAL');
    migrateSqlite(this.db, 'logs', LOG_MIGRATIONS);
    const columns = [...LOG_COLUMN_NAMES, 'row_bytes'];
    this.insertStatement = this.db.prepare(
      `insert into request_logs (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict (log_id) do nothing`,
    );
    this.insertMany = this.db.transaction((rows: readonly LogRow[]) => {
      for (const row of rows) {
        const values = rowValues(row);
        values.push(rowBytes(values));
        this.insertStatement.run(values);
      }
    });
  }

  async migrate(): Promise<void> {
    // Done in the constructor (synchronous).
  }

  async insert(rows: readonly LogRow[]): Promise<void> {
    this.insertMany(rows);
  }

  async list(filter: LogFilter, limit: number, cursor?: string): Promise<LogPage> {
    const sql = listSql(filter, 'like', limit, cursor === undefined ? undefined : decodeCursor(cursor));
    const found = this.db.prepare(sql.text).all(sql.params) as Array<Record<string, unknown>>;
    const rows = found.slice(0, limit).map((row) => rowFromDatabase(row, tryParseJson));
    const last = rows.at(-1);
    return {
      rows,
      ...(found.length > limit && last !== undefined ? { nextCursor: encodeCursor(last) } : {}),
    };
  }

  async get(id: string): Promise<LogRow | undefined> {
    const found = this.db
      .prepare(
        'select * from request_logs where log_id = ? or request_id = ? order by case when log_id = ? then 0 else 1 end, started_at desc limit 1',
      )
      .get(id, id, id) as Record<string, unknown> | undefined;
    return found === undefined ? undefined : rowFromDatabase(found, tryParseJson);
  }

  async aggregate(filter: LogFilter, options: AggregateOptions): Promise<AggregateRow[]> {
    const sql = aggregateSql(filter, 'like', options);
    return (this.db.prepare(sql.text).all(sql.params) as Array<Record<string, unknown>>).map(
      aggregateRowFrom,
    );
  }

  async count(filter: LogFilter = {}): Promise<number> {
    const where = whereClause(filter, 'like');
    return (
      this.db.prepare(`select count(*) as n from request_logs ${where.text}`).get(where.params) as {
        n: number;
      }
    ).n;
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    const statement = this.db.prepare(
      `delete from request_logs where log_id in (select log_id from request_logs where started_at < ? limit ${DELETE_CHUNK})`,
    );
    let total = 0;
    for (;;) {
      const { changes } = statement.run(cutoff);
      total += changes;
      if (changes < DELETE_CHUNK) break;
    }
    if (total > 0) this.db.pragma('incremental_vacuum');
    return total;
  }

  /** Bytes of the database file in use (pages minus free pages): what the disk holds. */
  async sizeBytes(): Promise<number> {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  async shrinkTo(targetBytes: number): Promise<number> {
    const statement = this.db.prepare(
      `delete from request_logs where log_id in (select log_id from request_logs order by started_at, log_id limit ?)`,
    );
    let total = 0;
    for (let rounds = 0; rounds < 10_000; rounds++) {
      const size = await this.sizeBytes();
      if (size <= targetBytes) break;
      const count = (this.db.prepare('select count(*) as n from request_logs').get() as { n: number }).n;
      if (count === 0) break;
      // Delete the share of rows the excess represents, in chunks, re-measuring after each.
      const share = Math.ceil((count * (size - targetBytes)) / size);
      const { changes } = statement.run(Math.max(1, Math.min(DELETE_CHUNK, share)));
      total += changes;
      if (changes === 0) break;
    }
    if (total > 0) this.db.pragma('incremental_vacuum');
    return total;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
