import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import { parseJson } from '../../json/parse-json.js';
import type { LogRow } from '../../store/logs/log-row.js';
import type { LogSpool, SpoolEntry, SpoolPosition } from './log-spool.js';

/** The write side of a log store: idempotent on logId (a row already there is left alone). */
export interface LogSink {
  insert(rows: readonly LogRow[]): Promise<void>;
  /**
   * The same, given each row as its JSON text (what the pipeline spooled). A store that ships
   * rows elsewhere (the SQLite worker) takes them as they are; without this method the pipeline
   * parses them and calls `insert`.
   */
  insertJson?(json: readonly string[]): Promise<void>;
}

export interface LogPipelineOptions {
  /** Records held in memory for the store; past this they wait in the spool only. */
  maxRecords: number;
  batchSize: number;
  flushIntervalMs: number;
  /** Full spool: keep appending and let the gateway refuse new requests, or stop spooling. */
  whenFull: 'reject' | 'drop';
}

/**
 * A record waiting for the store, as its JSON text only: records wait up to the flush interval,
 * long enough to outlive young-generation collections, and one flat string is far cheaper for
 * the garbage collector to keep than the row's object graph.
 */
interface Queued {
  json: string;
  segment: number;
  acceptedAt: number;
}

interface Replay {
  cursor: SpoolPosition;
  until: SpoolPosition;
  /** Which entries to take. */
  accept: (entry: SpoolEntry) => boolean;
  since: number;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * The request log's path from the response to the store, off the response path:
 *
 * 1. `open` (when the response starts) and `accept` (when the request ends) append the row to
 *    the on-disk spool synchronously — the durability point.
 * 2. Accepted rows are queued in memory (bounded) and written to the store in batches from a
 *    timer. A failed batch is retried with backoff; nothing is dropped from the queue.
 * 3. When the queue is full (store slow or down), rows wait in the spool only; once the queue
 *    has drained the pipeline replays them from disk ("overflow").
 * 4. At start, segments an earlier process left are replayed first ("recovery"): final rows,
 *    and for requests whose final row never made it, their open entry marked interrupted.
 * Every store write is idempotent on logId, so replaying a row the store already has is harmless.
 */
export class LogPipeline {
  private readonly sink: LogSink;
  private readonly spool: LogSpool;
  private readonly options: LogPipelineOptions;
  private readonly logger: Logger;
  private queue: Queued[] = [];
  private head = 0;
  private overflow: Replay | undefined;
  private recovery: Replay | undefined;
  /** Rows only on disk: overflowed or left by an earlier process. */
  private spoolOnly = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate = false;
  private running = false;
  private backoffMs = 0;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  /** Counters for metrics. */
  readonly stats = { written: 0, failedBatches: 0, dropped: 0, replayed: 0, recovered: 0, spoolErrors: 0 };
  private lastSpoolErrorLog = 0;
  lastError: string | undefined;

  constructor(sink: LogSink, spool: LogSpool, options: LogPipelineOptions, logger: Logger) {
    this.sink = sink;
    this.spool = spool;
    this.options = options;
    this.logger = logger;
  }

  /** Open the spool and plan the replay of what an earlier process left. */
  start(): void {
    this.spool.open();
    const leftover = this.spool.leftover;
    if (leftover.length === 0) return;
    const from = { segment: leftover[0]!, offset: 0 };
    const until = { segment: this.spool.currentSegment, offset: 0 };
    const finals = new Set<string>();
    this.spool.read(from, until, Number.POSITIVE_INFINITY, (entry) => {
      if (entry.kind === 'final') finals.add(entry.row.logId);
      return false;
    });
    const wanted = new Set<string>();
    const accept = (entry: SpoolEntry): boolean => {
      const id = entry.row.logId;
      if (entry.kind === 'open' && finals.has(id)) return false;
      if (wanted.has(id)) return false;
      wanted.add(id);
      return true;
    };
    const counts = new Map<number, number>();
    this.spool.read(from, until, Number.POSITIVE_INFINITY, (entry) => {
      if (accept(entry)) counts.set(entry.segment, (counts.get(entry.segment) ?? 0) + 1);
      return false;
    });
    wanted.clear();
    for (const segment of leftover) {
      const count = counts.get(segment) ?? 0;
      if (count > 0) this.spool.hold(segment, count);
      else this.spool.deleteIfDone(segment);
      this.spoolOnly += count;
    }
    if (this.spoolOnly === 0) return;
    this.logger.info(
      { records: this.spoolOnly, segments: leftover.length },
      'replaying request log records left in the spool',
    );
    this.recovery = { cursor: from, until, accept, since: Date.now() };
    this.schedule(0);
  }

  /** True when the spool is full and new requests should be refused (whenFull: reject). */
  get rejecting(): boolean {
    return this.options.whenFull === 'reject' && this.spool.full;
  }

  /** Records waiting for the store (in memory and on disk). */
  get depth(): number {
    return this.queue.length - this.head + this.spoolOnly;
  }

  /** Age of the oldest record not yet in the store, in milliseconds (0 when none). */
  get lagMs(): number {
    const now = Date.now();
    let oldest = now;
    if (this.head < this.queue.length) oldest = Math.min(oldest, this.queue[this.head]!.acceptedAt);
    if (this.overflow !== undefined) oldest = Math.min(oldest, this.overflow.since);
    if (this.recovery !== undefined) oldest = Math.min(oldest, this.recovery.since);
    return now - oldest;
  }

  get spoolBytes(): number {
    return this.spool.bytes;
  }

  private spoolable(): boolean {
    return !this.spool.full || this.options.whenFull === 'reject';
  }

  /** Write-ahead entry when the response starts. Returns its segment, or -1 when not spooled. */
  open(row: LogRow): number {
    if (this.stopped || !this.spoolable()) return -1;
    return this.append('open', JSON.stringify(row));
  }

  /**
   * Append to the spool; a failing disk (full, read-only) must not fail the request: the record
   * then goes on without its durability point, and the failure is counted and logged.
   */
  private append(kind: 'open' | 'final', rowJson: string): number {
    try {
      return this.spool.append(kind, rowJson);
    } catch (error) {
      this.stats.spoolErrors++;
      const now = Date.now();
      if (now - this.lastSpoolErrorLog > 10_000) {
        this.lastSpoolErrorLog = now;
        this.logger.error(
          { err: error, dir: this.spool.dir },
          'cannot write the request log spool; records are kept in memory only until it works again',
        );
      }
      return -1;
    }
  }

  /** The final record of a request: spooled, then queued for the store. */
  accept(row: LogRow, openSegment: number): void {
    if (this.stopped) {
      this.stats.dropped++;
      this.logger.error({ requestId: row.requestId }, 'request log record after shutdown: not recorded');
      return;
    }
    let segment = -1;
    let position: SpoolPosition | undefined;
    const json = JSON.stringify(row);
    if (this.spoolable()) {
      position = this.spool.end;
      segment = this.append('final', json);
    }
    if (openSegment >= 0) this.spool.release(openSegment);
    const room = this.queue.length - this.head < this.options.maxRecords;
    if (segment === -1) {
      if (room) this.enqueue(json, -1);
      else this.stats.dropped++;
      return;
    }
    if (this.overflow === undefined && room) {
      this.enqueue(json, segment);
      return;
    }
    this.spoolOnly++;
    if (this.overflow === undefined) {
      this.logger.warn(
        { queued: this.options.maxRecords },
        'request log queue full: records wait in the spool until the store catches up',
      );
      this.overflow = {
        cursor: position!,
        until: position!,
        accept: (entry) => entry.kind === 'final',
        since: Date.now(),
      };
    }
  }

  private enqueue(json: string, segment: number): void {
    this.queue.push({ json, segment, acceptedAt: Date.now() });
    const waiting = this.queue.length - this.head;
    if (waiting >= this.options.batchSize) this.schedule(0);
    else if (waiting === 1) this.schedule(this.options.flushIntervalMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (delayMs === 0) {
      if (this.immediate) return;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate = true;
      setImmediate(() => {
        this.immediate = false;
        void this.flush();
      });
      return;
    }
    if (this.timer !== undefined || this.immediate) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  /** The next batch: leftovers first, then the memory queue, then overflowed rows on disk. */
  private nextBatch():
    | { rows?: LogRow[]; json?: string[]; count: number; segments: number[]; fromQueue: number; replay?: Replay; next?: SpoolPosition }
    | undefined {
    const size = this.options.batchSize;
    if (this.recovery !== undefined) {
      const batch = this.replayBatch(this.recovery, size);
      if (batch !== undefined) return batch;
      this.recovery = undefined;
      this.logger.info(
        { recovered: this.stats.recovered },
        'request log records left in the spool are in the store',
      );
    }
    if (this.head < this.queue.length) {
      const take = this.queue.slice(this.head, this.head + size);
      return {
        json: take.map((item) => item.json),
        count: take.length,
        segments: take.map((item) => item.segment),
        fromQueue: take.length,
      };
    }
    if (this.overflow !== undefined) {
      this.overflow.until = this.spool.end;
      const batch = this.replayBatch(this.overflow, size);
      if (batch !== undefined) return batch;
      // Caught up with the end of the spool: new records go to the memory queue again.
      this.overflow = undefined;
    }
    // Nothing left in memory or on disk: whatever the count says, nothing is waiting.
    this.spoolOnly = 0;
    return undefined;
  }

  private replayBatch(
    replay: Replay,
    size: number,
  ):
    | { rows: LogRow[]; count: number; segments: number[]; fromQueue: number; replay: Replay; next: SpoolPosition }
    | undefined {
    for (;;) {
      const { entries, next, done } = this.spool.read(replay.cursor, replay.until, size, replay.accept);
      if (entries.length > 0)
        return {
          rows: entries.map((entry) => entry.row),
          count: entries.length,
          segments: entries.map((entry) => entry.segment),
          fromQueue: 0,
          replay,
          next,
        };
      replay.cursor = next;
      if (done) return undefined;
    }
  }

  /** Hand a batch to the store: queued records as JSON text, replayed ones as rows. */
  private write(batch: { rows?: LogRow[]; json?: string[] }): Promise<void> {
    if (batch.json === undefined) return this.sink.insert(batch.rows ?? []);
    if (this.sink.insertJson !== undefined) return this.sink.insertJson(batch.json);
    return this.sink.insert(batch.json.map((text) => parseJson(text, 'request log record') as LogRow));
  }

  private async flush(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (;;) {
        const batch = this.nextBatch();
        if (batch === undefined) break;
        try {
          await this.write(batch);
        } catch (error) {
          this.stats.failedBatches++;
          this.lastError = (error as Error).message;
          this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs === 0 ? 100 : this.backoffMs * 2);
          this.logger.warn(
            { err: error, rows: batch.count, retryInMs: this.backoffMs },
            'request log store write failed; will retry',
          );
          this.running = false;
          if (!this.stopped) {
            this.timer = setTimeout(() => {
              this.timer = undefined;
              void this.flush();
            }, this.backoffMs);
            this.timer.unref();
          }
          return;
        }
        this.backoffMs = 0;
        this.lastError = undefined;
        this.stats.written += batch.count;
        if (batch.fromQueue > 0) {
          this.head += batch.fromQueue;
          if (this.head > 1024 && this.head * 2 > this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
          }
        } else {
          batch.replay!.cursor = batch.next!;
          this.spoolOnly -= batch.count;
          if (batch.replay === this.recovery) this.stats.recovered += batch.count;
          else this.stats.replayed += batch.count;
        }
        for (const segment of batch.segments) this.spool.release(segment);
        const wait = this.holdBack();
        if (wait > 0) {
          // A short queue waits for its interval: one store write per interval under steady
          // load, not one per few requests (each hand-off to the store has a fixed cost).
          this.running = false;
          this.schedule(wait);
          return;
        }
        await yieldToEventLoop();
      }
    } finally {
      this.running = false;
    }
    if (this.depth === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * Milliseconds the next write should wait: while fewer than a batch of records is queued, the
   * oldest is younger than the flush interval, and nobody waits for the queue to drain.
   */
  private holdBack(): number {
    if (this.idleWaiters.length > 0 || this.recovery !== undefined || this.overflow !== undefined) return 0;
    const waiting = this.queue.length - this.head;
    if (waiting === 0 || waiting >= this.options.batchSize) return 0;
    return Math.max(0, this.options.flushIntervalMs - (Date.now() - this.queue[this.head]!.acceptedAt));
  }

  /** Resolve when everything accepted so far is in the store. */
  drained(): Promise<void> {
    if (this.depth === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.schedule(0);
    });
  }

  /**
   * Graceful stop: write what is queued, for up to `timeoutMs`; what the store did not take
   * stays in the spool for the next start. Nothing accepted is lost either way.
   */
  async close(timeoutMs: number): Promise<{ flushed: boolean }> {
    let timer: NodeJS.Timeout | undefined;
    const flushed = await Promise.race([
      this.drained().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.spool.close();
    if (!flushed)
      this.logger.warn(
        { waiting: this.depth },
        'request log store did not take every record before shutdown; they stay in the spool for the next start',
      );
    return { flushed };
  }
}
