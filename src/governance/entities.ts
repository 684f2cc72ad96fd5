import type { Budget, RateLimit } from './governance-schema.js';

/*
 * The governance objects as stored (config store rows) and held in memory. Customers own teams,
 * teams own keys; a key without a team may belong to a customer directly.
 */

/** Who declared the object: the config file (read-only through the API) or the admin API. */
export type Source = 'config' | 'api';

export interface AccessLists {
  models?: string[];
  denyModels?: string[];
  providers?: string[];
  denyProviders?: string[];
}

export interface Limits {
  budget: Budget[];
  rateLimit: RateLimit[];
}

interface Stamped {
  source: Source;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
}

export interface CustomerRecord extends AccessLists, Limits, Stamped {
  id: string;
  name: string;
  metadata: Record<string, string>;
}

export interface TeamRecord extends AccessLists, Limits, Stamped {
  id: string;
  name: string;
  customerId?: string;
  metadata: Record<string, string>;
}

export interface VirtualKeyRecord extends AccessLists, Limits, Stamped {
  id: string;
  name: string;
  /** sha256 of the secret, hex. The secret itself is never stored. */
  keyHash: string;
  /** Enough of the secret to recognise it ("sk-sy-Ab…9xYz"). */
  keyHint: string;
  teamId?: string;
  customerId?: string;
  expiresAt?: string;
  active: boolean;
  metadata: Record<string, string>;
}

/** Budgets and rate limits of one provider id. */
export interface ProviderLimitRecord extends Limits, Stamped {
  provider: string;
}

/** A provider created through the admin API: its config entry (as in the file), minus keys. */
export interface StoredProviderRecord extends Stamped {
  id: string;
  type: string;
  settings: Record<string, unknown>;
}

/** A provider key created through the admin API; the secret is encrypted (AES-256-GCM). */
export interface StoredProviderKeyRecord {
  providerId: string;
  name: string;
  /** secret-box ciphertext; absent for keyless providers. */
  secret?: string;
  /** The other key fields (weight, models, type-specific fields). */
  settings: Record<string, unknown>;
  /** Last characters of the secret, to recognise it. */
  hint?: string;
  createdAt: string;
  updatedAt: string;
}

/** Everything in the config store, loaded at start and on change notices. */
export interface GovernanceData {
  customers: CustomerRecord[];
  teams: TeamRecord[];
  virtualKeys: VirtualKeyRecord[];
  providerLimits: ProviderLimitRecord[];
  providers: StoredProviderRecord[];
  providerKeys: StoredProviderKeyRecord[];
}

export type EntityKind = 'customer' | 'team' | 'virtual-key' | 'provider-limit' | 'provider' | 'provider-key';

/** One durable spend row per request (idempotent on the spend id). */
export interface SpendRow {
  /**
   * Governance's own id for the request (a UUID): unique even when clients reuse an
   * x-request-id, which a client could otherwise use to be charged once for many requests.
   */
  spendId: string;
  /** The request id (x-request-id), to find the request in logs. */
  requestId: string;
  /** Epoch ms when the request started (the budget window it counts in). */
  at: number;
  virtualKeyId?: string;
  teamId?: string;
  customerId?: string;
  provider?: string;
  model?: string;
  /** USD in nano-dollars (1e-9), an integer. */
  costNano: number;
  inputTokens?: number;
  outputTokens?: number;
}

export type SpendScope = 'virtual-key' | 'team' | 'customer' | 'provider';
