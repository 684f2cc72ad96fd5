import type {
  CustomerRecord,
  EntityKind,
  GovernanceData,
  ProviderLimitRecord,
  SpendScope,
  StoredProviderKeyRecord,
  StoredProviderRecord,
  TeamRecord,
  VirtualKeyRecord,
} from '../../governance/entities.js';

/*
 * Records ↔ table rows, shared by the SQLite and PostgreSQL stores. Identifying and
 * referencing fields are columns; the rest is the `data` JSON document.
 */

export interface TableSpec {
  table: string;
  /** Primary key columns. */
  key: string[];
  columns: string[];
}

export const TABLES: Record<EntityKind, TableSpec> = {
  customer: {
    table: 'gov_customers',
    key: ['id'],
    columns: ['id', 'name', 'source', 'data', 'created_at', 'updated_at'],
  },
  team: {
    table: 'gov_teams',
    key: ['id'],
    columns: ['id', 'name', 'customer_id', 'source', 'data', 'created_at', 'updated_at'],
  },
  'virtual-key': {
    table: 'gov_virtual_keys',
    key: ['id'],
    columns: [
      'id',
      'name',
      'key_hash',
      'team_id',
      'customer_id',
      'source',
      'data',
      'created_at',
      'updated_at',
    ],
  },
  'provider-limit': {
    table: 'gov_provider_limits',
    key: ['provider'],
    columns: ['provider', 'source', 'data', 'created_at', 'updated_at'],
  },
  provider: {
    table: 'gov_providers',
    key: ['id'],
    columns: ['id', 'type', 'source', 'data', 'created_at', 'updated_at'],
  },
  'provider-key': {
    table: 'gov_provider_keys',
    key: ['provider_id', 'name'],
    columns: ['provider_id', 'name', 'secret', 'hint', 'data', 'created_at', 'updated_at'],
  },
};

/** Load order; deletes go the other way (references). */
export const LOAD_ORDER: EntityKind[] = [
  'customer',
  'team',
  'virtual-key',
  'provider-limit',
  'provider',
  'provider-key',
];

export const SPEND_COLUMNS: Record<SpendScope, string> = {
  'virtual-key': 'virtual_key_id',
  team: 'team_id',
  customer: 'customer_id',
  provider: 'provider',
};

export type Row = Record<string, unknown>;
export type AnyRecord =
  | CustomerRecord
  | TeamRecord
  | VirtualKeyRecord
  | ProviderLimitRecord
  | StoredProviderRecord
  | StoredProviderKeyRecord;

function pick<T extends object>(record: T, fields: Array<keyof T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (record[field] !== undefined) out[field as string] = record[field];
  return out;
}

const ACCESS = ['models', 'denyModels', 'providers', 'denyProviders'] as const;

/** The row for a record; `data` is a plain object (each store serialises it its own way). */
export function toRow(kind: EntityKind, record: AnyRecord): Row {
  switch (kind) {
    case 'customer': {
      const customer = record as CustomerRecord;
      return {
        id: customer.id,
        name: customer.name,
        source: customer.source,
        data: pick(customer, [...ACCESS, 'budget', 'rateLimit', 'metadata']),
        created_at: customer.createdAt,
        updated_at: customer.updatedAt,
      };
    }
    case 'team': {
      const team = record as TeamRecord;
      return {
        id: team.id,
        name: team.name,
        customer_id: team.customerId ?? null,
        source: team.source,
        data: pick(team, [...ACCESS, 'budget', 'rateLimit', 'metadata']),
        created_at: team.createdAt,
        updated_at: team.updatedAt,
      };
    }
    case 'virtual-key': {
      const key = record as VirtualKeyRecord;
      return {
        id: key.id,
        name: key.name,
        key_hash: key.keyHash,
        team_id: key.teamId ?? null,
        customer_id: key.customerId ?? null,
        source: key.source,
        data: pick(key, [...ACCESS, 'budget', 'rateLimit', 'metadata', 'keyHint', 'expiresAt', 'active']),
        created_at: key.createdAt,
        updated_at: key.updatedAt,
      };
    }
    case 'provider-limit': {
      const limit = record as ProviderLimitRecord;
      return {
        provider: limit.provider,
        source: limit.source,
        data: pick(limit, ['budget', 'rateLimit']),
        created_at: limit.createdAt,
        updated_at: limit.updatedAt,
      };
    }
    case 'provider': {
      const provider = record as StoredProviderRecord;
      return {
        id: provider.id,
        type: provider.type,
        source: provider.source,
        data: provider.settings,
        created_at: provider.createdAt,
        updated_at: provider.updatedAt,
      };
    }
    case 'provider-key': {
      const key = record as StoredProviderKeyRecord;
      return {
        provider_id: key.providerId,
        name: key.name,
        secret: key.secret ?? null,
        hint: key.hint ?? null,
        data: key.settings,
        created_at: key.createdAt,
        updated_at: key.updatedAt,
      };
    }
  }
}

function time(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function optional(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** A record from a row whose `data` was already decoded to an object. */
export function fromRow(kind: EntityKind, row: Row): AnyRecord {
  const data = (row.data ?? {}) as Record<string, unknown>;
  const stamps = { createdAt: time(row.created_at), updatedAt: time(row.updated_at) };
  const limits = { budget: (data.budget as never) ?? [], rateLimit: (data.rateLimit as never) ?? [] };
  const access = pick(data as Record<string, unknown>, [...ACCESS]);
  switch (kind) {
    case 'customer':
      return {
        id: String(row.id),
        name: String(row.name),
        source: row.source as 'api',
        ...access,
        ...limits,
        metadata: (data.metadata as never) ?? {},
        ...stamps,
      };
    case 'team': {
      const customerId = optional(row.customer_id);
      return {
        id: String(row.id),
        name: String(row.name),
        ...(customerId === undefined ? {} : { customerId }),
        source: row.source as 'api',
        ...access,
        ...limits,
        metadata: (data.metadata as never) ?? {},
        ...stamps,
      };
    }
    case 'virtual-key': {
      const teamId = optional(row.team_id);
      const customerId = optional(row.customer_id);
      return {
        id: String(row.id),
        name: String(row.name),
        keyHash: String(row.key_hash),
        keyHint: String(data.keyHint ?? ''),
        ...(teamId === undefined ? {} : { teamId }),
        ...(customerId === undefined ? {} : { customerId }),
        ...(typeof data.expiresAt === 'string' ? { expiresAt: data.expiresAt } : {}),
        active: data.active !== false,
        source: row.source as 'api',
        ...access,
        ...limits,
        metadata: (data.metadata as never) ?? {},
        ...stamps,
      };
    }
    case 'provider-limit':
      return { provider: String(row.provider), source: row.source as 'api', ...limits, ...stamps };
    case 'provider':
      return {
        id: String(row.id),
        type: String(row.type),
        source: row.source as 'api',
        settings: data,
        ...stamps,
      };
    case 'provider-key': {
      const secret = optional(row.secret);
      const hint = optional(row.hint);
      return {
        providerId: String(row.provider_id),
        name: String(row.name),
        ...(secret === undefined ? {} : { secret }),
        ...(hint === undefined ? {} : { hint }),
        settings: data,
        ...stamps,
      };
    }
  }
}

export function emptyData(): GovernanceData {
  return { customers: [], teams: [], virtualKeys: [], providerLimits: [], providers: [], providerKeys: [] };
}

/** Put a loaded record in its list. */
export function addToData(data: GovernanceData, kind: EntityKind, record: AnyRecord): void {
  switch (kind) {
    case 'customer':
      data.customers.push(record as CustomerRecord);
      break;
    case 'team':
      data.teams.push(record as TeamRecord);
      break;
    case 'virtual-key':
      data.virtualKeys.push(record as VirtualKeyRecord);
      break;
    case 'provider-limit':
      data.providerLimits.push(record as ProviderLimitRecord);
      break;
    case 'provider':
      data.providers.push(record as StoredProviderRecord);
      break;
    case 'provider-key':
      data.providerKeys.push(record as StoredProviderKeyRecord);
      break;
  }
}

/** The primary key values of a record, in TableSpec.key order. */
export function keyOf(kind: EntityKind, record: AnyRecord): string[] {
  const row = toRow(kind, record);
  return TABLES[kind].key.map((column) => String(row[column]));
}
