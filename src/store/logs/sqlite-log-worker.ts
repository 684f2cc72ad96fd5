import { parentPort, workerData } from 'node:worker_threads';
import { parseJson } from '../../json/parse-json.js';
import type { LogRow } from './log-row.js';
import { SqliteLogStore } from './sqlite-log-store.js';

/**
 * Worker thread that owns the request log's SQLite connection: every insert, query and
 * retention delete runs here, so a batch of hundreds of rows never stalls the gateway's event
 * loop. Messages: {id, method, args} → {id, result} or {id, error}.
 */
const store = new SqliteLogStore((workerData as { file: string }).file);
const methods = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
/** Rows sent as one JSON array (see ThreadedSqliteLogStore.insert). */
const insertJson = (...args: unknown[]): Promise<void> =>
  store.insert(parseJson(args[0] as string, 'log batch') as LogRow[]);

parentPort!.on('message', (message: { id: number; method: string; args: unknown[] }) => {
  const method = message.method === 'insertJson' ? insertJson : methods[message.method];
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
