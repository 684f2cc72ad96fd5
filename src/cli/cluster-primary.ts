import cluster, { type Worker } from 'node:cluster';
import { resolveAdminKey } from '../admin/admin-key.js';
import { PrimaryServices } from '../cluster/primary-services.js';
import { WORKER_ENV } from '../cluster/worker-channel.js';
import { loadConfigOrExit, type StartOptions } from './start-gateway.js';

/** Messages workers send to the primary. */
export type WorkerMessage = { type: 'listening'; summary: string };

/**
 * The cluster primary for `--workers N`: validates the config once, settles the admin key once
 * (so workers do not race to generate it), forks N workers that share the listening socket,
 * prints the start-up summary once, restarts a worker that dies, and on SIGINT/SIGTERM lets
 * every worker drain and exits 0 when they have. It also serves the workers (PrimaryServices):
 * the shared budget and rate-limit counters, /metrics for the whole cluster, change notices.
 */
export function runClusterPrimary(options: StartOptions, workers: number): void {
  const config = loadConfigOrExit(options);
  const adminKey = resolveAdminKey(process.env, config.dataDir);
  const env = { SWITCHYARD_ADMIN_KEY: adminKey.value, [WORKER_ENV]: '1' };
  const services = new PrimaryServices();
  let stopping = false;
  let printed = false;
  /** Stable worker slots: a replacement takes the index of the worker it replaces. */
  const slots = new Map<Worker, { index: number; startedAt: number }>();
  let quickCrashes = 0;
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ ...env, SWITCHYARD_WORKER_INDEX: String(index) });
    slots.set(worker, { index, startedAt: Date.now() });
    services.attach(worker);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'listening' && !printed) {
        printed = true;
        process.stdout.write(`${message.summary}\nWorkers: ${workers} (node:cluster, shared listening socket)\n`);
        if (adminKey.generated) process.stdout.write(`Admin API key (generated once, saved in ${adminKey.file}): ${adminKey.value}\n`);
      }
    });
    return worker;
  };
  for (let index = 0; index < workers; index++) fork(index);
  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker) ?? { index: 0, startedAt: 0 };
    slots.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        process.stdout.write('All workers stopped; bye.\n');
        process.exit(process.exitCode ?? 0);
      }
      return;
    }
    // A worker that dies right after starting will die again: stop instead of looping.
    quickCrashes = Date.now() - slot.startedAt < 10_000 ? quickCrashes + 1 : 0;
    if (quickCrashes >= 3) {
      process.stderr.write('Workers keep exiting right after start; stopping.\n');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`Worker ${worker.process.pid} exited (${signal ?? code}); starting a new one\n`);
    fork(slot.index);
  });
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal} received: workers stop accepting and finish in-flight requests (up to ${config.server.shutdownTimeout} ms)\n`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
