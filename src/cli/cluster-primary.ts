import cluster, { type Worker } from 'node:cluster';
import { resolveAdminKey } from '../admin/admin-key.js';
import { loadConfigOrExit, type StartOptions } from './start-gateway.js';

/** Messages workers send to the primary. */
export type WorkerMessage = { type: 'listening'; summary: string };

/**
 * The cluster primary for `--workers N`: validates the config once, settles the admin key once
 * (so workers do not race to generate it), forks N workers that share the listening socket,
 * prints the start-up summary once, restarts a worker that dies, and on SIGINT/SIGTERM lets
 * every worker drain and exits 0 when they have.
 */
export function runClusterPrimary(options: StartOptions, workers: number): void {
  const config = loadConfigOrExit(options);
  const adminKey = resolveAdminKey(process.env, config.dataDir);
  const env = { SWITCHYARD_ADMIN_KEY: adminKey.value, SWITCHYARD_WORKER: '1' };
  let stopping = false;
  let printed = false;
  const fork = (): Worker => {
    const worker = cluster.fork(env);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'listening' && !printed) {
        printed = true;
        process.stdout.write(`${message.summary}\nWorkers: ${workers} (node:cluster, shared listening socket)\n`);
        if (adminKey.generated) process.stdout.write(`Admin API key (generated once, saved in ${adminKey.file}): ${adminKey.value}\n`);
      }
    });
    return worker;
  };
  for (let index = 0; index < workers; index++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        process.stdout.write('All workers stopped; bye.\n');
        process.exit(0);
      }
      return;
    }
    process.stderr.write(`Worker ${worker.process.pid} exited (${signal ?? code}); starting a new one\n`);
    fork();
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
