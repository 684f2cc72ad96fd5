import { parentPort, workerData } from 'node:worker_threads';
import { SqliteLogStore } from './sqlite-log-store.js';

/**
 * Worker thread that owns the request log's SQLite connection: every insert, query and
 * retention delete runs here, so a batch of hundreds of rows never stalls the gateway's event
 * loop. Messages: {id, method, args} → {id, result} or {id, error}.
 */
const store = new SqliteLogStore((workerData as { file: string }).file);
const methods = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

parentPort!.on('message', (message: { id: number; method: string; args: unknown[] }) => {
  const method = methods[message.method];
  const run =
    typeof method === 'function'
      ? method.apply(store, message.args)
      : Promise.reject(new Error(`no method ${message.method}`));
  run.then(
    (result) => parentPort!.postMessage({ id: message.id, result }),
    (error: unknown) =>
      parentPort!.postMessage({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
