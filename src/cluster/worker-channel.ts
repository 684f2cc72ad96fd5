import cluster from 'node:cluster';
import { IpcEndpoint, type IpcPort } from './ipc-endpoint.js';

/** Set by the primary of `switchyard start --workers N` in each worker's environment. */
export const WORKER_ENV = 'SWITCHYARD_WORKER';
/** Notices a worker sends to every other worker, through the primary. */
export const BROADCAST_SERVICE = 'broadcast';

const processPort: IpcPort = {
  send: (message) => process.send!(message),
  on: (event, listener) => process.on(event, listener),
  off: (event, listener) => process.off(event, listener),
  isConnected: () => process.connected,
};

let endpoint: IpcEndpoint | null | undefined;
const topics = new Map<string, Array<(data: unknown) => void>>();

/**
 * The channel to the cluster primary when this process is a worker of
 * `switchyard start --workers N` (counters, metrics aggregation, change notices); undefined in
 * a single process.
 */
export function primaryChannel(): IpcEndpoint | undefined {
  if (endpoint === undefined) {
    endpoint =
      cluster.isWorker && process.env[WORKER_ENV] === '1' && process.send !== undefined
        ? new IpcEndpoint(processPort)
        : null;
    endpoint?.onNotice(BROADCAST_SERVICE, (payload) => {
      const { topic, data } = payload as { topic: string; data: unknown };
      for (const listener of topics.get(topic) ?? []) listener(data);
    });
  }
  return endpoint ?? undefined;
}

/** Tell every other worker (not this one) about `topic`; a no-op outside a cluster. */
export function publishToWorkers(topic: string, data: unknown): void {
  primaryChannel()?.notify(BROADCAST_SERVICE, { topic, data });
}

/** Hear what other workers publish on `topic`. */
export function subscribeToWorkers(topic: string, listener: (data: unknown) => void): void {
  const listeners = topics.get(topic) ?? [];
  listeners.push(listener);
  topics.set(topic, listeners);
}
