import { migratePostgres } from './migrations.js';
import type { PostgresPool } from './postgres-pool.js';
import { RESPONSES_MIGRATIONS } from './responses-migrations.js';
import { CHAIN_SQL, COLUMNS, fromRow, toChain, toRow, type ResponseRow } from './responses-rows.js';
import type { ResponseChain, ResponsesStore, StoredResponse } from './responses-store.js';

/**
 * Responses in PostgreSQL (`stores.postgres`), shared by every gateway instance: a response
 * created through one instance can be continued or retrieved through another. The pool belongs
 * to the shared stores and is not closed here.
 */
export class PostgresResponsesStore implements ResponsesStore {
  private readonly pool: PostgresPool;
  /** Migrations done; until then every operation tries them first (PostgreSQL may be down at start). */
  private migrated: Promise<void> | undefined;

  private constructor(pool: PostgresPool) {
    this.pool = pool;
  }

  /**
   * Open the store. PostgreSQL being down at start is not fatal: the gateway starts, operations
   * fail (and are retried by the next one) until the database answers and the migrations ran.
   */
  static async open(pool: PostgresPool): Promise<PostgresResponsesStore> {
    const store = new PostgresResponsesStore(pool);
    await store.ready().catch(() => undefined);
    return store;
  }

  private ready(): Promise<void> {
    this.migrated ??= migratePostgres(this.pool, 'responses', RESPONSES_MIGRATIONS).then(
      () => undefined,
      (error: unknown) => {
        this.migrated = undefined;
        throw error;
      },
    );
    return this.migrated;
  }

  async put(record: StoredResponse): Promise<void> {
    await this.ready();
    await this.pool.query(
      `insert into responses (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (id) do update set owner = excluded.owner, previous_response_id = excluded.previous_response_id,
         created_at = excluded.created_at, expires_at = excluded.expires_at, model = excluded.model,
         input_json = excluded.input_json, output_json = excluded.output_json,
         input_items_json = excluded.input_items_json, response_json = excluded.response_json`,
      toRow(record),
    );
  }

  async get(id: string, owner: string, now = Date.now()): Promise<StoredResponse | undefined> {
    await this.ready();
    const result = await this.pool.query<ResponseRow>(`select ${COLUMNS} from responses where id = $1 and owner = $2 and expires_at > $3`, [id, owner, now]);
    const row = result.rows[0];
    return row === undefined ? undefined : fromRow(row);
  }

  async chain(id: string, owner: string, maxLength: number, now = Date.now()): Promise<ResponseChain> {
    await this.ready();
    const result = await this.pool.query<ResponseRow>(CHAIN_SQL, [id, owner, now, maxLength]);
    return toChain(result.rows, maxLength);
  }

  async delete(id: string, owner: string): Promise<boolean> {
    await this.ready();
    const result = await this.pool.query('delete from responses where id = $1 and owner = $2', [id, owner]);
    return (result.rowCount ?? 0) > 0;
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    await this.ready();
    const result = await this.pool.query('delete from responses where expires_at <= $1', [now]);
    return result.rowCount ?? 0;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
