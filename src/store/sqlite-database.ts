import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export type SqliteDatabase = Database.Database;

/**
 * Open (or create) a SQLite database file for the gateway: WAL journal so readers never block
 * the writer, NORMAL sync (durable at checkpoints, safe against application crashes), a busy
 * timeout instead of immediate SQLITE_BUSY, and foreign keys on.
 */
export function openSqlite(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
