import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { resolveAdminKey } from './admin/admin-key.js';
import { registerHealthRoute } from './api/health.js';
import { BUILTIN_CATALOG_FILE, ModelCatalog } from './catalog/model-catalog.js';
import { openAiSurface } from './api/openai/openai-surface.js';
import { registerOpenAiRoutes } from './api/openai/routes.js';
import type { Surface } from './api/surface.js';
import type { GatewayConfig } from './config/load-config.js';
import { BUILTIN_MODULES } from './modules.js';
import { createLogger } from './observability/logger.js';
import { createPipelineHooks } from './pipeline/hooks.js';
import type { GatewayRuntime } from './pipeline/runtime.js';
import type { Provider } from './providers/provider.js';
import { getProviderDefinition } from './providers/registry.js';
import { ProviderRegistry } from './router/provider-registry.js';
import { createRouter } from './router/router.js';
import { createGatewayServer, type GatewayServer } from './server/http-server.js';
import { RouteTable } from './server/route-table.js';
import { SharedStores } from './store/shared-stores.js';
import { ConnectionPools } from './transport/connection-pools.js';
import { VERSION } from './version.js';

/** What a module sees while the gateway is being assembled. */
export interface GatewayAssembly {
  readonly runtime: GatewayRuntime;
  readonly routes: RouteTable;
  /** The process environment (secrets such as SWITCHYARD_ENCRYPTION_KEY). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Error format for unknown paths under a prefix (e.g. "/anthropic/" → Anthropic errors). */
  addFallbackSurface(prefix: string, surface: Surface): void;
  /**
   * Release what this setup opened for this gateway (stores, timers) when the gateway closes,
   * after the modules' own close(). Per gateway, so one module object can serve several
   * gateways in a process (tests).
   */
  onClose(release: () => void | Promise<void>): void;
  /** Requests the HTTP server is handling right now (0 until it exists). */
  inflight?(): number;
}

/**
 * A feature that plugs into the gateway: surfaces add routes, governance and observability add
 * hooks and admin routes. Modules are set up in order and closed in reverse order.
 */
export interface GatewayModule {
  name: string;
  setup(assembly: GatewayAssembly): void | Promise<void>;
  /** Flush and release (after in-flight requests have finished). */
  close?(): void | Promise<void>;
}

/** Builds a fresh module per gateway (for modules that hold per-gateway state). */
export type GatewayModuleFactory = () => GatewayModule;

export interface Gateway {
  readonly runtime: GatewayRuntime;
  readonly routes: RouteTable;
  readonly server: GatewayServer;
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Graceful stop: stop accepting, drain up to the shutdown deadline, close modules and pools. */
  close(): Promise<{ drained: boolean }>;
}

export interface CreateGatewayOptions {
  logger?: Logger;
  /** Environment for secrets like SWITCHYARD_ADMIN_KEY (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  modules?: Array<GatewayModule | GatewayModuleFactory>;
}

export function createProviders(config: GatewayConfig): Provider[] {
  return config.providers.map((settings) => {
    const definition = getProviderDefinition(settings.type);
    if (definition === undefined) throw new Error(`unknown provider type ${settings.type}`);
    return definition.create(settings);
  });
}

export async function createGateway(config: GatewayConfig, options: CreateGatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  mkdirSync(config.dataDir, { recursive: true });
  const providers = new ProviderRegistry(createProviders(config));
  const pools = new ConnectionPools();
  const catalog = ModelCatalog.fromFiles([BUILTIN_CATALOG_FILE, ...config.catalog.files]);
  const runtime: GatewayRuntime = {
    config,
    providers,
    pools,
    hooks: createPipelineHooks(),
    router: createRouter(providers, { routing: config.routing, catalog, logger }),
    catalog,
    stores: new SharedStores(config.stores, logger),
    adminKey: resolveAdminKey(options.env ?? process.env, config.dataDir),
    logger,
    version: VERSION,
    startedAt: Date.now(),
  };
  const routes = new RouteTable();
  registerHealthRoute(routes);
  registerOpenAiRoutes(routes);
  const fallbackSurfaces: Array<[string, Surface]> = [];
  const releases: Array<() => void | Promise<void>> = [];
  const live: { server?: GatewayServer } = {};
  const assembly: GatewayAssembly = {
    runtime,
    routes,
    env: options.env ?? process.env,
    addFallbackSurface: (prefix, surface) => fallbackSurfaces.push([prefix, surface]),
    onClose: (release) => releases.push(release),
    inflight: () => live.server?.inflight ?? 0,
  };
  const modules = (options.modules ?? BUILTIN_MODULES).map((entry) => (typeof entry === 'function' ? entry() : entry));
  for (const module of modules) await module.setup(assembly);
  const server = createGatewayServer(runtime, routes, {
    fallbackSurface: (path) => fallbackSurfaces.find(([prefix]) => path.startsWith(prefix))?.[1] ?? openAiSurface,
  });
  live.server = server;

  return {
    runtime,
    routes,
    server,
    listen() {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.server.listen(config.server.port, config.server.host, () => {
          server.server.off('error', reject);
          const address = server.server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${host}:${address.port}` });
        });
      });
    },
    async close() {
      const result = await server.shutdown(config.server.shutdownTimeout);
      for (const module of [...modules].reverse()) {
        try {
          await module.close?.();
        } catch (error) {
          logger.error({ err: error, module: module.name }, 'module failed to close');
        }
      }
      runtime.router.close?.();
      for (const release of releases.reverse()) {
        try {
          await release();
        } catch (error) {
          logger.error({ err: error }, 'module resource failed to close');
        }
      }
      await (result.drained ? pools.close() : pools.destroy());
      await runtime.stores.close();
      logger.flush();
      return result;
    },
  };
}
