import type { EntityKind, GovernanceData, SpendRow, SpendScope } from '../../governance/entities.js';
import { parseJson } from '../../json/parse-json.js';
import { migrateSqlite } from '../migrations.js';
import type { SqliteDatabase } from '../sqlite-database.js';
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
  type ChangeNotice,
  type ConfigSeed,
  type GovernanceStore,
} from './governance-store.js';

/**
 * Change notices between processes that share one SQLite file: the workers of
 * `switchyard start --workers N` (relayed by the cluster primary).
 */
export interface SqliteChangeChannel {
  publish(notice: ChangeNotice): void;
  subscribe(listener: (notice: ChangeNotice) => void): void;
}

function upsertSql(kind: EntityKind): string {
  const { table, key, columns } = TABLES[kind];
  const updates = columns
    .filter((column) => !key.includes(column) && column !== 'created_at')
    .map((column) => `${column} = excluded.${column}`);
  return `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})
    on conflict (${key.join(', ')}) do update set ${updates.join(', ')}`;
}

function conflict(error: unknown): never {
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    const reason = code.endsWith('FOREIGNKEY')
      ? 'it references an object that does not exist, or is still referenced'
      : 'an object with this id or name exists';
    throw new StoreConflictError(`Conflict: ${reason}.`, { cause: error });
  }
  throw error;
}

/**
 * The config store in the embedded SQLite database: one instance, whose cluster workers (if
 * any) tell each other about their writes through `changes`.
 */
export class SqliteGovernanceStore implements GovernanceStore {
  readonly kind = 'sqlite' as const;
  private readonly db: SqliteDatabase;
  private readonly ownsDb: boolean;
  private readonly changes: SqliteChangeChannel | undefined;

  constructor(db: SqliteDatabase, options: { ownsDb?: boolean; changes?: SqliteChangeChannel } = {}) {
    this.db = db;
    this.ownsDb = options.ownsDb ?? false;
    this.changes = options.changes;
  }

  private published(kind: ChangeNotice['kind'], key: string[]): void {
    this.changes?.publish({ instance: String(process.pid), kind, key });
  }

  async migrate(): Promise<number[]> {
    return migrateSqlite(this.db, GOVERNANCE_COMPONENT, GOVERNANCE_MIGRATIONS);
  }

  async load(): Promise<GovernanceData> {
    const data = emptyData();
    for (const kind of LOAD_ORDER) {
      const { table, key } = TABLES[kind];
      const rows = this.db.prepare(`select * from ${table} order by ${key.join(', ')}`).all() as Row[];
      for (const row of rows)
        addToData(data, kind, fromRow(kind, { ...row, data: parseJson(String(row.data), 'stored object') }));
    }
    return data;
  }

  private write(kind: EntityKind, record: AnyRecord): void {
    const row = toRow(kind, record);
    const values = TABLES[kind].columns.map((column) =>
      column === 'data' ? JSON.stringify(row.data) : (row[column] ?? null),
    );
    this.db.prepare(upsertSql(kind)).run(...values);
  }

  async put(kind: EntityKind, record: AnyRecord): Promise<void> {
    try {
      this.write(kind, record);
    } catch (error) {
      conflict(error);
    }
    this.published(kind, keyOf(kind, record));
  }

  async remove(kind: EntityKind, key: string[]): Promise<boolean> {
    const spec = TABLES[kind];
    try {
      const result = this.db
        .prepare(`delete from ${spec.table} where ${spec.key.map((column) => `${column} = ?`).join(' and ')}`)
        .run(...key);
      if (result.changes > 0) this.published(kind, key);
      return result.changes > 0;
    } catch (error) {
      conflict(error);
    }
  }

  async seed(seed: ConfigSeed): Promise<void> {
    this.db.transaction(() => {
      for (const kind of SEED_KINDS) {
        for (const record of seedRecords(seed, kind)) {
          try {
            this.write(kind, record);
          } catch (error) {
            throw seedConflict(kind, record, error);
          }
        }
      }
      for (const kind of [...SEED_KINDS].reverse()) {
        const spec = TABLES[kind];
        const keep = new Set(seedRecords(seed, kind).map((record) => keyOf(kind, record).join('\u0000')));
        const rows = this.db
          .prepare(`select ${spec.key.join(', ')} from ${spec.table} where source = 'config'`)
          .all() as Row[];
        for (const row of rows) {
          const key = spec.key.map((column) => String(row[column]));
          if (!keep.has(key.join('\u0000'))) {
            this.db
              .prepare(
                `delete from ${spec.table} where ${spec.key.map((column) => `${column} = ?`).join(' and ')}`,
              )
              .run(...key);
          }
        }
      }
    })();
    this.published('seed', []);
  }

  /** Prepared once (after migrations created the table), reused for every batch. */
  private spendInsert: { run(...values: unknown[]): unknown } | undefined;
  private spendBatch: ((rows: readonly SpendRow[]) => void) | undefined;

  async appendSpend(rows: readonly SpendRow[]): Promise<void> {
    this.spendBatch ??= this.db.transaction((batch: readonly SpendRow[]) => {
      const insert = (this.spendInsert ??= this.db.prepare(
        `insert into gov_spend (spend_id, request_id, at, virtual_key_id, team_id, customer_id, provider, model, cost_nano, input_tokens, output_tokens)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (spend_id) do nothing`,
      ));
      for (const row of batch) {
        insert.run(
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
      }
    });
    this.spendBatch(rows);
  }

  async sumSpend(scope: SpendScope, id: string, from: number, to: number): Promise<number> {
    const column = SPEND_COLUMNS[scope];
    const row = this.db
      .prepare(
        `select coalesce(sum(cost_nano), 0) as total from gov_spend where ${column} = ? and at >= ? and at < ?`,
      )
      .get(id, from, to) as {
      total: number;
    };
    return Number(row.total);
  }

  onChange(listener: (notice: ChangeNotice) => void): void {
    // Without cluster workers one process owns the file: every change is made here.
    this.changes?.subscribe(listener);
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
