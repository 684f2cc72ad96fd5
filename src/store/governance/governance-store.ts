import type {
  CustomerRecord,
  EntityKind,
  GovernanceData,
  ProviderLimitRecord,
  SpendRow,
  SpendScope,
  TeamRecord,
  VirtualKeyRecord,
} from '../../governance/entities.js';
import type { AnyRecord } from './governance-rows.js';

/** The objects the config file declares; they replace every config-sourced object at start. */
export interface ConfigSeed {
  customers: CustomerRecord[];
  teams: TeamRecord[];
  virtualKeys: VirtualKeyRecord[];
  providerLimits: ProviderLimitRecord[];
}

/** A change made by another instance (PostgreSQL NOTIFY). */
export interface ChangeNotice {
  instance: string;
  kind: EntityKind | 'seed';
  key: string[];
}

/**
 * The config store: customers, teams, virtual keys, provider limits, API-managed providers and
 * their encrypted keys, and the durable spend ledger. SQLite in the data directory, or
 * PostgreSQL shared by several instances (with change notices).
 */
export interface GovernanceStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Apply pending schema migrations; returns the versions applied. */
  migrate(): Promise<number[]>;
  load(): Promise<GovernanceData>;
  /** Insert or replace by primary key (creation time is kept). */
  put(kind: EntityKind, record: AnyRecord): Promise<void>;
  /** Delete by primary key; false when nothing was there. */
  remove(kind: EntityKind, key: string[]): Promise<boolean>;
  /** Replace the config-declared objects (source "config") in one transaction. */
  seed(seed: ConfigSeed): Promise<void>;
  /** Write spend rows; a request id already recorded is skipped (exactly once). */
  appendSpend(rows: readonly SpendRow[]): Promise<void>;
  /** Spend in nano-USD of one subject with `from <= at < to`. */
  sumSpend(scope: SpendScope, id: string, from: number, to: number): Promise<number>;
  /** Changes committed by other instances; also called with kind "seed" after a reconnect (reload all). */
  onChange(listener: (notice: ChangeNotice) => void): void;
  close(): Promise<void>;
}

/** A write refused by a uniqueness or reference constraint (the admin API answers 409). */
export class StoreConflictError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreConflictError';
  }
}

/** The store could not be reached (the admin API answers 503; requests follow the fail mode). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Order config-seeded deletions so references are removed before what they reference. */
export const SEED_KINDS = ['customer', 'team', 'virtual-key', 'provider-limit'] as const;

export function seedRecords(seed: ConfigSeed, kind: (typeof SEED_KINDS)[number]): AnyRecord[] {
  switch (kind) {
    case 'customer':
      return seed.customers;
    case 'team':
      return seed.teams;
    case 'virtual-key':
      return seed.virtualKeys;
    case 'provider-limit':
      return seed.providerLimits;
  }
}

/** A config-file object that cannot be written, named (a clash with an API object, a bad reference). */
export function seedConflict(kind: string, record: AnyRecord, error: unknown): Error {
  const named = 'name' in record ? record.name : 'provider' in record ? record.provider : '?';
  const reason =
    error instanceof StoreConflictError
      ? 'another object (created through the API) has this id or name, or it references one that does not exist'
      : (error as Error).message;
  return new StoreConflictError(`The config file's ${kind} "${named}" cannot be stored: ${reason}.`, {
    cause: error,
  });
}
