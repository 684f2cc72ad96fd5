import path from 'node:path';
import { migrateSqlite } from './migrations.js';
import { RESPONSES_MIGRATIONS } from './responses-migrations.js';
import { CHAIN_SQL, COLUMNS, fromRow, toChain, toRow, type ResponseRow } from './responses-rows.js';
import type { ResponseChain, ResponsesStore, StoredResponse } from './responses-store.js';
import { openSqlite, type SqliteDatabase } from './sqlite-database.js';

/**
 * Responses in SQLite (`responses.db` in the data directory). better-sqlite3 is synchronous, so
 * a write has committed before the request that made it ends: the next request sees it.
 */
export class SqliteResponsesStore implements ResponsesStore {
  private readonly db: SqliteDatabase;
  private readonly insert;
  private readonly select;
  private readonly chainQuery;
  private readonly remove;
  private readonly purge;

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrateSqlite(db, 'responses', RESPONSES_MIGRATIONS);
    this.insert = db.prepare(`insert or replace into responses (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.select = db.prepare(`select ${COLUMNS} from responses where id = ? and owner = ? and expires_at > ?`);
    // The shared query numbers its parameters $1..$4; better-sqlite3 binds them by name.
    const names = ['', 'id', 'owner', 'now', 'depth'];
    this.chainQuery = db.prepare(CHAIN_SQL.replace(/\$(\d)/g, (_match, digit: string) => `@${names[Number(digit)]}`));
    this.remove = db.prepare('delete from responses where id = ? and owner = ?');
    this.purge = db.prepare('delete from responses where expires_at <= ?');
  }

  static open(dataDir: string): SqliteResponsesStore {
    return new SqliteResponsesStore(openSqlite(path.join(dataDir, 'responses.db')));
  }

  put(record: StoredResponse): Promise<void> {
    this.insert.run(...toRow(record));
    return Promise.resolve();
  }

  get(id: string, owner: string, now = Date.now()): Promise<StoredResponse | undefined> {
    const row = this.select.get(id, owner, now) as ResponseRow | undefined;
    return Promise.resolve(row === undefined ? undefined : fromRow(row));
  }

  chain(id: string, owner: string, maxLength: number, now = Date.now()): Promise<ResponseChain> {
    const rows = this.chainQuery.all({ id, owner, now, depth: maxLength }) as ResponseRow[];
    return Promise.resolve(toChain(rows, maxLength));
  }

  delete(id: string, owner: string): Promise<boolean> {
    return Promise.resolve(this.remove.run(id, owner).changes > 0);
  }

  purgeExpired(now = Date.now()): Promise<number> {
    return Promise.resolve(this.purge.run(now).changes);
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
