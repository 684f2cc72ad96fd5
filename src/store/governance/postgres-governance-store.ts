import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { EntityKind, GovernanceData, SpendRow, SpendScope } from '../../governance/entities.js';
import { migratePostgres } from '../migrations.js';
import type { PostgresPool } from '../postgres-pool.js';
import { GOVERNANCE_COMPONENT, GOVERNANCE_MIGRATIONS } from './governance-migrations.js';
import {
  addToData,
  emptyData,
  fromRow,
  keyOf,
  LOAD_ORDER,
  SPEND_COLUMNS,
  TABLES,
  toRow,
  type AnyRecord,
  type Row,
} from './governance-rows.js';
import {
  SEED_KINDS,
  seedConflict,
  seedRecords,
  StoreConflictError,
  StoreUnavailableError,
  type ChangeNotice,
  type ConfigSeed,
  type GovernanceStore,
} from './governance-store.js';
import { PostgresChangeListener } from './postgres-change-listener.js';

export const CHANGE_CHANNEL = 'switchyard_governance';

function upsertSql(kind: EntityKind): string {
  const { table, key, columns } = TABLES[kind];
  const updates = columns
    .filter((column) => !key.includes(column) && column !== 'created_at')
    .map((column) => `${column} = excluded.${column}`);
  return `insert into ${table} (${columns.join(', ')}) values (${columns.map((_, index) => `$${index + 1}`).join(', ')})
    on conflict (${key.join(', ')}) do update set ${updates.join(', ')}`;
}

function deleteSql(kind: EntityKind): string {
  const { table, key } = TABLES[kind];
  return `delete from ${table} where ${key.map((column, index) => `${column} = $${index + 1}`).join(' and ')}`;
}

/** Constraint violations become conflicts; connection failures become "unavailable". */
function translate(error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code === '23505')
    return new StoreConflictError('Conflict: an object with this id or name exists.', { cause: error });
  if (code === '23503') {
    return new StoreConflictError(
      'Conflict: it references an object that does not exist, or is still referenced.',
      { cause: error },
    );
  }
  if (
    code === undefined ||
    code.startsWith('08') ||
    code.startsWith('57P') ||
    /ECONN|ETIMEDOUT|terminat|timeout/i.test(String((error as Error).message))
  ) {
    return new StoreUnavailableError(`PostgreSQL is unavailable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return error as Error;
}

/**
 * The config store in PostgreSQL, shared by every instance. Each write commits with a NOTIFY on
 * `switchyard_governance`; other instances LISTEN and reload within milliseconds.
 */
export class PostgresGovernanceStore implements GovernanceStore {
  readonly kind = 'postgres' as const;
  /** Identifies this process's own notices. */
  readonly instance = randomUUID();
  private readonly pool: PostgresPool;
  private readonly listener: PostgresChangeListener;

  constructor(pool: PostgresPool, url: string, logger: Logger) {
    this.pool = pool;
    this.listener = new PostgresChangeListener(url, CHANGE_CHANNEL, this.instance, logger);
  }

  async migrate(): Promise<number[]> {
    return migratePostgres(this.pool, GOVERNANCE_COMPONENT, GOVERNANCE_MIGRATIONS);
  }

  async load(): Promise<GovernanceData> {
    const data = emptyData();
    try {
      // One snapshot for all tables.
      await this.transaction(async (client) => {
        await client.query('set transaction isolation level repeatable read');
        for (const kind of LOAD_ORDER) {
          const { table, key } = TABLES[kind];
          const result = await client.query<Row>(`select * from ${table} order by ${key.join(', ')}`);
          for (const row of result.rows) addToData(data, kind, fromRow(kind, row));
        }
      });
    } catch (error) {
      throw translate(error);
    }
    return data;
  }

  /**
   * Run `work` in a transaction on one pooled client. A checked-out client has no error listener
   * of the pool's: a server shutdown mid-transaction would emit an unhandled 'error' and kill the
   * process, so one is attached (the failed query rejects anyway) and a broken client is
   * destroyed rather than returned to the pool.
   */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  private async write(client: pg.PoolClient, kind: EntityKind, record: AnyRecord): Promise<void> {
    const row = toRow(kind, record);
    const values = TABLES[kind].columns.map((column) =>
      column === 'data' ? JSON.stringify(row.data) : (row[column] ?? null),
    );
    await client.query(upsertSql(kind), values);
  }

  private notify(client: pg.PoolClient, kind: ChangeNotice['kind'], key: string[]): Promise<unknown> {
    const notice: ChangeNotice = { instance: this.instance, kind, key };
    return client.query('select pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(notice)]);
  }

  async put(kind: EntityKind, record: AnyRecord): Promise<void> {
    try {
      await this.transaction(async (client) => {
        await this.write(client, kind, record);
        await this.notify(client, kind, keyOf(kind, record));
      });
    } catch (error) {
      throw translate(error);
    }
  }

  async remove(kind: EntityKind, key: string[]): Promise<boolean> {
    try {
      return await this.transaction(async (client) => {
        const result = await client.query(deleteSql(kind), key);
        await this.notify(client, kind, key);
        return (result.rowCount ?? 0) > 0;
      });
    } catch (error) {
      throw translate(error);
    }
  }

  async seed(seed: ConfigSeed): Promise<void> {
    try {
      await this.transaction(async (client) => {
        // Instances starting together seed one at a time.
        await client.query(`select pg_advisory_xact_lock(hashtext('switchyard:governance:seed'))`);
        for (const kind of SEED_KINDS) {
          for (const record of seedRecords(seed, kind)) {
            try {
              await this.write(client, kind, record);
            } catch (error) {
              throw seedConflict(kind, record, translate(error));
            }
          }
        }
        for (const kind of [...SEED_KINDS].reverse()) {
          const spec = TABLES[kind];
          const keep = new Set(seedRecords(seed, kind).map((record) => keyOf(kind, record).join('\u0000')));
          const result = await client.query<Row>(
            `select ${spec.key.join(', ')} from ${spec.table} where source = 'config'`,
          );
          for (const row of result.rows) {
            const key = spec.key.map((column) => String(row[column]));
            if (!keep.has(key.join('\u0000'))) await client.query(deleteSql(kind), key);
          }
        }
        await this.notify(client, 'seed', []);
      });
    } catch (error) {
      throw translate(error);
    }
  }

  async appendSpend(rows: readonly SpendRow[]): Promise<void> {
    if (rows.length === 0) return;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows) {
      const base = values.length;
      values.push(
        row.spendId,
        row.requestId,
        row.at,
        row.virtualKeyId ?? null,
        row.teamId ?? null,
        row.customerId ?? null,
        row.provider ?? null,
        row.model ?? null,
        row.costNano,
        row.inputTokens ?? null,
        row.outputTokens ?? null,
      );
      tuples.push(`(${Array.from({ length: 11 }, (_, index) => `$${base + index + 1}`).join(', ')})`);
    }
    try {
      await this.pool.query(
        `insert into gov_spend (spend_id, request_id, at, virtual_key_id, team_id, customer_id, provider, model, cost_nano, input_tokens, output_tokens)
         values ${tuples.join(', ')} on conflict (spend_id) do nothing`,
        values,
      );
    } catch (error) {
      throw translate(error);
    }
  }

  async sumSpend(scope: SpendScope, id: string, from: number, to: number): Promise<number> {
    const column = SPEND_COLUMNS[scope];
    try {
      const result = await this.pool.query<{ total: string }>(
        `select coalesce(sum(cost_nano), 0)::text as total from gov_spend where ${column} = $1 and at >= $2 and at < $3`,
        [id, from, to],
      );
      return Number(result.rows[0]?.total ?? 0);
    } catch (error) {
      throw translate(error);
    }
  }

  onChange(listener: (notice: ChangeNotice) => void): void {
    this.listener.start(listener);
  }

  async close(): Promise<void> {
    await this.listener.stop();
  }
}
