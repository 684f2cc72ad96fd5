import { scrapeCluster, serveWorkerMetrics } from '../cluster/cluster-metrics.js';
import { primaryChannel } from '../cluster/worker-channel.js';
import type { GatewayAssembly, GatewayModule } from '../gateway.js';
import type { GatewayRuntime } from '../pipeline/runtime.js';
import { observabilitySchema, type ObservabilityConfig } from './config-schema.js';
import { registerLogRoutes } from './logs/log-routes.js';
import { RequestLog } from './logs/request-log.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { registerMetricsRoute } from './metrics/metrics-route.js';
import type { GatewayTracing } from './tracing/gateway-tracing.js';

export function observabilityConfig(runtime: GatewayRuntime): ObservabilityConfig {
  return (
    (runtime.config as { observability?: ObservabilityConfig }).observability ?? observabilitySchema.parse({})
  );
}

/** What the module set up, for tests and other modules. */
export interface ObservabilityParts {
  log?: RequestLog;
  metrics?: GatewayMetrics;
  tracing?: GatewayTracing;
}

const PARTS = new WeakMap<GatewayRuntime, ObservabilityParts>();

/** The request log, metrics and tracer of a running gateway (tests, admin tools). */
export function observabilityOf(runtime: GatewayRuntime): ObservabilityParts | undefined {
  return PARTS.get(runtime);
}

/**
 * Observability as a gateway module (one per gateway: it holds the log pipeline): tracing hooks first (they set the trace id the log
 * records), then the request log, then metrics; the log and metrics routes. On close the
 * tracer flushes its spans and the log pipeline writes its queue (the spool keeps the rest).
 */
export function createObservabilityModule(): GatewayModule & { parts: ObservabilityParts } {
  const parts: ObservabilityParts = {};
  return {
    name: 'observability',
    parts,
    async setup(assembly: GatewayAssembly) {
      const runtime = assembly.runtime;
      const config = observabilityConfig(runtime);
      PARTS.set(runtime, parts);
      if (config.tracing.enabled) {
        // Loaded only when on: with tracing off, no OpenTelemetry code runs at all.
        const { GatewayTracing } = await import('./tracing/gateway-tracing.js');
        parts.tracing = new GatewayTracing(config.tracing, runtime.version);
        parts.tracing.register(runtime.hooks);
      }
      if (config.logs.enabled) {
        const log = new RequestLog(runtime, config.logs);
        log.start();
        log.register(runtime.hooks);
        registerLogRoutes(assembly.routes, log);
        parts.log = log;
      }
      if (config.metrics.enabled) {
        const log = parts.log;
        const metrics = new GatewayMetrics({
          version: runtime.version,
          router: runtime.router,
          inflight: () => assembly.inflight?.() ?? 0,
          processMetrics: config.metrics.processMetrics,
          ...(log === undefined ? {} : { logs: () => log.pipeline }),
        });
        // attemptEnd runs for every attempt that went through attemptStart (withAttemptRecord), so this
        // set empties itself; a WeakSet would cost the garbage collector an ephemeron per attempt.
        const started = new Set<object>();
        runtime.hooks.attemptStart.push((_context, target, attempt) => {
          started.add(attempt);
          metrics.attemptStarted(target.provider.id);
        });
        runtime.hooks.attemptEnd.push((_context, attempt) => {
          if (started.delete(attempt)) metrics.attemptEnded(attempt.provider);
        });
        runtime.hooks.complete.push((record) => metrics.recordRequest(record));
        // Cluster workers: /metrics counts every worker's requests, whichever worker is scraped.
        const cluster = primaryChannel();
        if (cluster !== undefined) {
          serveWorkerMetrics(cluster, metrics.registry);
          metrics.aggregateAcross(() => scrapeCluster(cluster));
        }
        registerMetricsRoute(assembly.routes, metrics, config.metrics);
        parts.metrics = metrics;
      }
    },
    async close() {
      await Promise.allSettled([parts.tracing?.shutdown(), parts.log?.close()]);
    },
  };
}
