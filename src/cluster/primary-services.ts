import type { Worker } from 'node:cluster';
import { COUNTER_SERVICE, type CounterRequest } from '../store/counters/counter-protocol.js';
import { CounterHost } from '../store/counters/counter-host.js';
import { aggregateWorkerMetrics, CLUSTER_METRICS_SERVICE } from './cluster-metrics.js';
import { IpcEndpoint } from './ipc-endpoint.js';
import { BROADCAST_SERVICE } from './worker-channel.js';

/**
 * What the primary of `--workers N` does for its workers so the cluster behaves as one
 * gateway: it keeps the budget and rate-limit counters (when no Redis is configured, workers
 * use them through `ClusterCounters`), answers /metrics scrapes with the sum of every worker,
 * and relays change notices (governance edits made through one worker's admin API) to the
 * others.
 */
export class PrimaryServices {
  private readonly counters = new CounterHost();
  private readonly endpoints = new Map<Worker, IpcEndpoint>();

  attach(worker: Worker): void {
    const endpoint = new IpcEndpoint({
      send: (message) => worker.send(message as never),
      on: (event, listener) => worker.on(event, listener),
      off: (event, listener) => worker.off(event, listener),
      isConnected: () => worker.isConnected(),
    });
    this.endpoints.set(worker, endpoint);
    const counters = (payload: unknown): unknown => this.counters.handle(payload as CounterRequest);
    endpoint.handle(COUNTER_SERVICE, counters);
    endpoint.onNotice(COUNTER_SERVICE, counters);
    endpoint.handle(CLUSTER_METRICS_SERVICE, () => aggregateWorkerMetrics([...this.endpoints.values()]));
    endpoint.onNotice(BROADCAST_SERVICE, (payload) => {
      for (const [other, otherEndpoint] of this.endpoints)
        if (other !== worker) otherEndpoint.notify(BROADCAST_SERVICE, payload);
    });
    worker.once('exit', () => this.detach(worker));
  }

  private detach(worker: Worker): void {
    this.endpoints.get(worker)?.close('the worker exited');
    this.endpoints.delete(worker);
  }

  close(): void {
    for (const worker of [...this.endpoints.keys()]) this.detach(worker);
    this.counters.close();
  }
}
