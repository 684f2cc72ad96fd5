import type { GatewayModule } from '../../gateway.js';
import type { RouteTable } from '../../server/route-table.js';
import { PostgresResponsesStore } from '../../store/postgres-responses-store.js';
import type { ResponsesStore } from '../../store/responses-store.js';
import { SqliteResponsesStore } from '../../store/sqlite-responses-store.js';
import { registerResponsesRoutes, type ResponsesRouteDeps } from './responses-routes.js';
import { createResponsesSurface } from './responses-surface.js';

const PURGE_EVERY_MS = 10 * 60_000;

/** What the module set up for each gateway's route table (its surface and store), for mounts added later. */
const mountedDeps = new WeakMap<RouteTable, ResponsesRouteDeps>();

/**
 * Mount the Responses API again under other prefixes of the same gateway (framework mounts:
 * `/litellm/v1` → `/litellm/v1/responses`, ...), sharing the surface and the response store the
 * module opened — as `registerOpenAiRoutes` and `registerAnthropicRoutes` take prefixes. Does
 * nothing when the gateway runs without the Responses module.
 */
export function registerResponsesRoutesAt(routes: RouteTable, prefixes: readonly string[]): void {
  const deps = mountedDeps.get(routes);
  if (deps !== undefined) registerResponsesRoutes(routes, deps, prefixes);
}

/**
 * The Responses API surface as a gateway module: opens the response store (PostgreSQL when
 * `stores.postgres` is configured, else `responses.db` in the data directory), mounts the
 * routes, and purges expired responses every ten minutes. When the gateway closes, pending
 * writes are awaited and the store closed.
 */
export function responsesModule(): GatewayModule {
  return {
    name: 'responses',
    async setup(assembly) {
      const runtime = assembly.runtime;
      const config = runtime.config.responses;
      const pool = runtime.stores.postgres();
      const opened: ResponsesStore = pool === undefined ? SqliteResponsesStore.open(runtime.config.dataDir) : await PostgresResponsesStore.open(pool);
      const pending = new Map<string, Promise<void>>();
      const surface = createResponsesSurface({ runtime, store: opened, maxChain: config.maxChain, pending });
      const deps: ResponsesRouteDeps = {
        surface,
        store: opened,
        forwardLookups: config.forwardLookups ?? !(runtime.config.auth.required || runtime.config.virtualKeys.length > 0),
        retentionMs: config.retention,
        enabled: config.store,
        pending,
        logger: runtime.logger,
      };
      registerResponsesRoutes(assembly.routes, deps);
      mountedDeps.set(assembly.routes, deps);
      const purge = (): void => {
        opened.purgeExpired().catch((error: unknown) => runtime.logger.warn({ err: error }, 'purging expired responses failed'));
      };
      purge();
      const timer = setInterval(purge, PURGE_EVERY_MS);
      timer.unref();
      assembly.onClose(async () => {
        clearInterval(timer);
        await Promise.allSettled([...pending.values()]);
        await opened.close();
      });
    },
  };
}
