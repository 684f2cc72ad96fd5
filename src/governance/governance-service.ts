import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/load-config.js';
import type { GatewayRuntime } from '../pipeline/runtime.js';
import type { Provider } from '../providers/provider.js';
import { primaryChannel, publishToWorkers, subscribeToWorkers } from '../cluster/worker-channel.js';
import { ClusterCounters } from '../store/counters/cluster-counters.js';
import type { CounterStore, SpendSubject } from '../store/counters/counter-store.js';
import { InProcessCounters } from '../store/counters/in-process-counters.js';
import { RedisCounters } from '../store/counters/redis-counters.js';
import type { AnyRecord } from '../store/governance/governance-rows.js';
import type { GovernanceStore } from '../store/governance/governance-store.js';
import { PostgresGovernanceStore } from '../store/governance/postgres-governance-store.js';
import type { ChangeNotice } from '../store/governance/governance-store.js';
import {
  SqliteGovernanceStore,
  type SqliteChangeChannel,
} from '../store/governance/sqlite-governance-store.js';
import { SecretBox } from '../store/secret-box.js';
import { openSqlite } from '../store/sqlite-database.js';
import { seedFromConfig } from './config-seed.js';
import { emptyData } from '../store/governance/governance-rows.js';
import type { EntityKind, SpendScope } from './entities.js';
import type { GovernanceSettings } from './governance-schema.js';
import { GovernanceState } from './governance-state.js';
import { buildStoredProviders } from './provider-sync.js';
import { SpendLedger } from './spend-ledger.js';

/** The embedded database file in the data directory. */
export const SQLITE_FILE = 'switchyard.db';

/** Redis commands that take longer than this count as "Redis is down" (fail mode applies). */
const REDIS_COMMAND_TIMEOUT_MS = 1000;
const STARTUP_RETRY_MS = 3000;
/** How long start-up waits for Redis before serving anyway (the fail mode then applies). */
const REDIS_READY_WAIT_MS = 5000;

/** Governance writes made through one worker's admin API reach the others' snapshots. */
const CLUSTER_CHANGES: SqliteChangeChannel = {
  publish: (notice) => publishToWorkers('governance-changed', notice),
  subscribe: (listener) => subscribeToWorkers('governance-changed', (notice) => listener(notice as ChangeNotice)),
};

const SPEND_FIELDS: Record<SpendScope, 'virtualKeyId' | 'teamId' | 'customerId' | 'provider'> = {
  'virtual-key': 'virtualKeyId',
  team: 'teamId',
  customer: 'customerId',
  provider: 'provider',
};

/**
 * Governance at run time: the config store, the in-memory snapshot requests read, the counters
 * and the spend ledger. Changes through the admin API write the store, then rebuild the
 * snapshot; other instances hear of them by PostgreSQL NOTIFY and rebuild theirs.
 */
export class GovernanceService {
  readonly settings: GovernanceSettings;
  readonly authRequired: boolean;
  readonly store: GovernanceStore;
  readonly counters: CounterStore;
  readonly ledger: SpendLedger;
  readonly secretBox: SecretBox | undefined;
  /** The snapshot requests read; replaced whole on every reload. */
  state: GovernanceState = new GovernanceState(emptyData());
  /** False while the config store has never been read (PostgreSQL down at start). */
  loaded = false;
  readonly runtime: GatewayRuntime;
  private readonly logger: Logger;
  private readonly config: GatewayConfig;
  private readonly configProviders: Provider[];
  private readonly redis: Redis | undefined;
  private providerSignature = '';
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(runtime: GatewayRuntime, env: Readonly<Record<string, string | undefined>>) {
    this.runtime = runtime;
    this.config = runtime.config;
    this.logger = runtime.logger.child({ component: 'governance' });
    this.settings = runtime.config.governance;
    this.authRequired = runtime.config.auth.required;
    this.configProviders = runtime.providers.list();
    const encryptionKey = env.SWITCHYARD_ENCRYPTION_KEY;
    this.secretBox =
      encryptionKey === undefined || encryptionKey === '' ? undefined : SecretBox.fromSecret(encryptionKey);
    const pool = runtime.stores.postgres();
    // Workers of `--workers N` (undefined in one process): shared counters, change notices.
    const cluster = primaryChannel();
    this.store =
      pool !== undefined
        ? new PostgresGovernanceStore(pool, this.config.stores.postgres!.url, this.logger)
        : new SqliteGovernanceStore(openSqlite(path.join(this.config.dataDir, SQLITE_FILE)), {
            ownsDb: true,
            ...(cluster === undefined ? {} : { changes: CLUSTER_CHANGES }),
          });
    // Spend rows are batched for a few tens of milliseconds: one store transaction per batch,
    // not per request. Rows not yet written still count (pendingRows) when a counter starts.
    this.ledger = new SpendLedger(this.store, this.logger, { delayMs: pool === undefined ? 20 : 50 });
    const shared = runtime.stores.redis();
    if (shared !== undefined) {
      this.redis = shared.duplicate({ commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
      this.redis.on('error', () => undefined);
      this.counters = new RedisCounters(
        this.redis,
        (subject, window) => this.seedSpent(subject, window),
        this.logger,
      );
    } else {
      // Workers share the counters their primary keeps; one process keeps its own.
      this.counters =
        cluster !== undefined
          ? new ClusterCounters(cluster, (subject, window) => this.seedSpent(subject, window))
          : new InProcessCounters((subject, window) => this.seedSpent(subject, window));
    }
  }

  /**
   * Migrate, write the config file's objects, load the snapshot and listen for changes. When
   * the store cannot be reached for a while, start anyway with the config file's objects only
   * and keep trying in the background.
   */
  async start(): Promise<void> {
    if (this.redis !== undefined) await waitUntilReady(this.redis, REDIS_READY_WAIT_MS, this.logger);
    const deadline = Date.now() + STARTUP_RETRY_MS;
    for (;;) {
      try {
        await this.initialise();
        return;
      } catch (error) {
        if (this.store.kind === 'sqlite' || !isUnavailable(error)) throw error;
        if (Date.now() > deadline) {
          this.logger.error(
            { err: error },
            "config store unreachable; serving the config file's keys until it returns",
          );
          this.state = new GovernanceState({ ...emptyData(), ...seedFromConfig(this.config) });
          this.scheduleRetry();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async initialise(): Promise<void> {
    const applied = await this.store.migrate();
    if (applied.length > 0)
      this.logger.debug({ versions: applied, store: this.store.kind }, 'governance schema migrated');
    await this.store.seed(seedFromConfig(this.config));
    await this.reload();
    this.store.onChange(() => this.requestReload());
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.initialise().then(
        () => this.logger.info('config store reachable again; governance loaded'),
        () => this.scheduleRetry(),
      );
    }, 2000);
    this.retryTimer.unref();
  }

  /** Read the whole store and swap the snapshot (and the API-managed providers). */
  async reload(): Promise<void> {
    const data = await this.store.load();
    this.state = new GovernanceState(data);
    this.loaded = true;
    const signature = JSON.stringify([data.providers, data.providerKeys]);
    if (signature !== this.providerSignature) {
      this.providerSignature = signature;
      this.runtime.providers.replace([
        ...this.configProviders,
        ...buildStoredProviders(data, this.secretBox, this.logger),
      ]);
    }
  }

  /** Coalesce change notices: one reload at a time, one more if notices arrived meanwhile. */
  requestReload(): void {
    if (this.reloading !== undefined) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = this.reload()
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'governance reload failed; keeping the previous snapshot'),
      )
      .finally(() => {
        this.reloading = undefined;
        if (this.reloadAgain && !this.closed) {
          this.reloadAgain = false;
          this.requestReload();
        }
      });
  }

  /** Write through the store, then reload this instance at once. */
  async put(kind: EntityKind, record: AnyRecord): Promise<void> {
    await this.store.put(kind, record);
    await this.reload();
  }

  async remove(kind: EntityKind, key: string[]): Promise<boolean> {
    const removed = await this.store.remove(kind, key);
    await this.reload();
    return removed;
  }

  /** Ids of every provider routing can use (config file and API). */
  providerIds(): string[] {
    return this.runtime.providers.list().map((provider) => provider.id);
  }

  /** The providers declared in the config file (read-only through the API). */
  get fileProviders(): readonly Provider[] {
    return this.configProviders;
  }

  /** Durable spend of a subject in a window: the ledger plus rows not yet written. */
  async seedSpent(subject: SpendSubject, window: { start: number; end: number }): Promise<number> {
    let spent = await this.store.sumSpend(subject.scope, subject.id, window.start, window.end);
    const field = SPEND_FIELDS[subject.scope];
    for (const row of this.ledger.pendingRows()) {
      if (row[field] === subject.id && row.at >= window.start && row.at < window.end) spent += row.costNano;
    }
    return spent;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    await this.ledger.close();
    await this.counters.close();
    await this.store.close();
    this.redis?.disconnect();
  }
}

/** Resolve once the client is connected, or after `timeoutMs` (logged, not thrown). */
function waitUntilReady(client: Redis, timeoutMs: number, logger: Logger): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(() => {
      logger.warn('Redis is not reachable yet; serving with governance.onStoreFailure until it is');
      done();
    }, timeoutMs);
    timer.unref();
    client.on('ready', done);
  });
}

export function isUnavailable(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'StoreUnavailableError' ||
      /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|Connection terminated|timeout/i.test(error.message))
  );
}
