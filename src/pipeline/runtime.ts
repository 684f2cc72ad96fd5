import type { Logger } from 'pino';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import type { AdminKey } from '../admin/admin-key.js';
import type { GatewayConfig } from '../config/load-config.js';
import type { SharedStores } from '../store/shared-stores.js';
import type { ProviderRegistry } from '../router/provider-registry.js';
import type { Router } from '../router/router.js';
import type { ConnectionPools } from '../transport/connection-pools.js';
import type { PipelineHooks } from './hooks.js';

/** The long-lived parts of a running gateway that request handling needs. */
export interface GatewayRuntime {
  readonly config: GatewayConfig;
  readonly providers: ProviderRegistry;
  readonly pools: ConnectionPools;
  readonly hooks: PipelineHooks;
  readonly router: Router;
  /** Model facts and prices (cost of every request). */
  readonly catalog: ModelCatalog;
  /** PostgreSQL / Redis shared by instances, when configured. */
  readonly stores: SharedStores;
  /** The admin API credential. */
  readonly adminKey: AdminKey;
  readonly logger: Logger;
  readonly version: string;
  readonly startedAt: number;
}
