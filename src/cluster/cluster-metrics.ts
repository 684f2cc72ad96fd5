import { AggregatorRegistry, type Registry } from 'prom-client';
import type { IpcEndpoint } from './ipc-endpoint.js';

/** A worker asks the primary for the cluster's metrics (Prometheus text). */
export const CLUSTER_METRICS_SERVICE = 'metrics';
/** The primary asks each worker for its own metrics (prom-client JSON). */
export const WORKER_METRICS_SERVICE = 'metrics-part';

const COLLECT_TIMEOUT_MS = 5000;

/** Worker side: answer the primary's collection with this registry. */
export function serveWorkerMetrics(channel: IpcEndpoint, registry: Registry): void {
  channel.handle(WORKER_METRICS_SERVICE, () => registry.getMetricsAsJSON());
}

/** Worker side: the aggregate of every worker, as the primary computes it. */
export async function scrapeCluster(channel: IpcEndpoint): Promise<string> {
  return (await channel.call(CLUSTER_METRICS_SERVICE, null, COLLECT_TIMEOUT_MS * 2)) as string;
}

/**
 * Primary side: collect every live worker's metrics and merge them with prom-client's cluster
 * aggregation (counters and histograms summed; gauges as each declares: summed by default,
 * `max` or `first` where a sum means nothing). A worker that exits meanwhile is left out; its
 * replacement starts its counters from zero, which Prometheus reads as a counter reset.
 */
export async function aggregateWorkerMetrics(workers: readonly IpcEndpoint[]): Promise<string> {
  const parts = await Promise.allSettled(
    workers.map((worker) => worker.call(WORKER_METRICS_SERVICE, null, COLLECT_TIMEOUT_MS)),
  );
  const metrics = parts.flatMap((part) => (part.status === 'fulfilled' ? [part.value] : []));
  if (metrics.length === 0) throw new Error('no worker answered the metrics collection');
  return AggregatorRegistry.aggregate(metrics as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics();
}
