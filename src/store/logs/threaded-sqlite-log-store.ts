import { Worker } from 'node:worker_threads';
import type { AggregateOptions, AggregateRow, LogFilter } from './log-query.js';
import type { LogRow } from './log-row.js';
import type { LogPage, LogStore } from './log-store.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Where the worker's code is: the compiled .js next to this file, or the .ts source under tsx/vitest. */
function spawnWorker(file: string): Worker {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './sqlite-log-worker.ts' : './sqlite-log-worker.js', import.meta.url);
  if (!source) return new Worker(entry, { workerData: { file } });
  // Running from TypeScript sources (tests, `npm run dev`): load the worker through tsx.
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData: { file } });
}

/**
 * The SQLite request log store, run in a worker thread (see sqlite-log-worker.ts); this side
 * forwards each call and awaits the answer. A worker that dies is replaced on the next call;
 * the calls it was running fail, and the log pipeline retries them (writes are idempotent).
 */
export class ThreadedSqliteLogStore implements LogStore {
  readonly kind = 'sqlite' as const;
  private readonly file: string;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(file: string) {
    this.file = file;
  }

  private start(): Worker {
    const worker = spawnWorker(this.file);
    worker.unref();
    worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id);
      // Idle, the worker does not keep the process alive; busy, it does (a shutdown's last flush).
      if (this.pending.size === 0) worker.unref();
      if (message.error !== undefined) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite log store worker exited (${code})`)));
    return worker;
  }

  private call<T>(method: keyof LogStore | 'insertJson', ...args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the log store is closed'));
    this.worker ??= this.start();
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args });
    });
  }

  migrate(): Promise<void> {
    return this.call('migrate');
  }

  insert(rows: readonly LogRow[]): Promise<void> {
    return this.call('insertJson', JSON.stringify(rows));
  }

  /**
   * Rows cross to the worker as one JSON string: a string is copied, not walked like a
   * structured clone of objects, and the log pipeline hands over the JSON it already made for
   * the spool (the worker parses it, off the event loop).
   */
  insertJson(json: readonly string[]): Promise<void> {
    return this.call('insertJson', `[${json.join(',')}]`);
  }

  list(filter: LogFilter, limit: number, cursor?: string): Promise<LogPage> {
    return this.call('list', filter, limit, cursor);
  }

  get(id: string): Promise<LogRow | undefined> {
    return this.call('get', id);
  }

  aggregate(filter: LogFilter, options: AggregateOptions): Promise<AggregateRow[]> {
    return this.call('aggregate', filter, options);
  }

  count(filter?: LogFilter): Promise<number> {
    return this.call('count', filter);
  }

  deleteOlderThan(cutoff: number): Promise<number> {
    return this.call('deleteOlderThan', cutoff);
  }

  sizeBytes(): Promise<number> {
    return this.call('sizeBytes');
  }

  shrinkTo(targetBytes: number): Promise<number> {
    return this.call('shrinkTo', targetBytes);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const worker = this.worker;
    if (worker !== undefined) await this.call('close').catch(() => undefined);
    this.closed = true;
    await worker?.terminate();
    this.worker = undefined;
  }
}
