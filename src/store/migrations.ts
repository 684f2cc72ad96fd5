import { createHash } from 'node:crypto';
import type { PostgresPool } from './postgres-pool.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * A schema change, written for each database it applies to. Versions are per component
 * ("config", "logs", ...), so each store evolves on its own; applied versions are recorded in
 * `schema_migrations`.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

const SQLITE_TABLE = `create table if not exists schema_migrations (
  component text not null,
  version integer not null,
  name text not null,
  applied_at text not null,
  primary key (component, version)
)`;

const POSTGRES_TABLE = `create table if not exists schema_migrations (
  component text not null,
  version integer not null,
  name text not null,
  applied_at timestamptz not null default now(),
  primary key (component, version)
)`;

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration versions must be 1..n in order; found ${migration.version} at ${index}`);
  });
}

/**
 * Apply pending migrations in one transaction each. Returns the versions applied. Each step
 * takes the write lock first (BEGIN IMMEDIATE) and re-reads the version, so processes sharing
 * the file (cluster workers) starting at once apply each migration exactly once.
 */
export function migrateSqlite(db: SqliteDatabase, component: string, migrations: readonly Migration[]): number[] {
  checkOrder(migrations);
  db.exec(SQLITE_TABLE);
  const currentVersion = db.prepare('select max(version) as version from schema_migrations where component = ?');
  const record = db.prepare('insert into schema_migrations (component, version, name, applied_at) values (?, ?, ?, ?)');
  const applied: number[] = [];
  for (const migration of migrations) {
    const step = db.transaction(() => {
      const current = (currentVersion.get(component) as { version: number | null }).version ?? 0;
      if (migration.version <= current) return false;
      db.exec(migration.sqlite);
      record.run(component, migration.version, migration.name, new Date().toISOString());
      return true;
    });
    if (step.immediate()) applied.push(migration.version);
  }
  return applied;
}

/**
 * Apply pending migrations, serialised across instances and components by one advisory lock so
 * several gateways (and several stores of one gateway) starting at once do not race.
 */
export async function migratePostgres(pool: PostgresPool, component: string, migrations: readonly Migration[]): Promise<number[]> {
  checkOrder(migrations);
  // One lock for every component: they share the schema_migrations table, and concurrent
  // CREATE TABLE IF NOT EXISTS of one table can fail in PostgreSQL (pg_type unique violation).
  const lockKey = createHash('sha256').update('switchyard:migrations').digest().readBigInt64BE(0);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [lockKey.toString()]);
    await client.query(POSTGRES_TABLE);
    const result = await client.query<{ version: number | null }>('select max(version) as version from schema_migrations where component = $1', [component]);
    const current = result.rows[0]?.version ?? 0;
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query('begin');
      try {
        await client.query(migration.postgres);
        await client.query('insert into schema_migrations (component, version, name) values ($1, $2, $3)', [component, migration.version, migration.name]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
      applied.push(migration.version);
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [lockKey.toString()]).catch(() => undefined);
    client.release();
  }
  return applied;
}
