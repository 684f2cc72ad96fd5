import path from 'node:path';
import { GatewayError } from '../../core/index.js';
import type { PipelineHooks } from '../../pipeline/hooks.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { RequestRecord } from '../../pipeline/request-record.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import type { LogStore } from '../../store/logs/log-store.js';
import { PostgresLogStore } from '../../store/logs/postgres-log-store.js';
import { ThreadedSqliteLogStore } from '../../store/logs/threaded-sqlite-log-store.js';
import type { LogsConfig } from '../config-schema.js';
import { parseTraceParent } from '../tracing/traceparent.js';
import { buildLogRow } from './build-log-row.js';
import { readClientMetadata } from './client-metadata.js';
import { captureContent, fullContentPossible, prepareContentCapture } from './content-capture.js';
import { LogPipeline, type LogSink } from './log-pipeline.js';
import { LogRetention } from './log-retention.js';
import { LogSpool } from './log-spool.js';
import { LogTail } from './log-tail.js';
import { Redactor } from './redactor.js';
import { timeOrderedId } from '../../store/time-ordered-id.js';

/** Per request: the log id, and the spool segment of its write-ahead entry (-1: none yet). */
interface LogState {
  logId: string;
  openSegment: number;
  /** Refused because the spool is full: never accepted, so not recorded (it would grow the spool). */
  refused?: true;
}

const LOG_STATE = Symbol('observability.request-log');

function createStore(runtime: GatewayRuntime, config: LogsConfig): LogStore {
  const pool = runtime.stores.postgres();
  if (config.store === 'postgres' && pool === undefined) {
    throw new Error('observability.logs.store is "postgres" but stores.postgres is not configured');
  }
  if (pool !== undefined && config.store !== 'sqlite') return new PostgresLogStore(pool);
  return new ThreadedSqliteLogStore(path.resolve(runtime.config.dataDir, config.sqliteFile));
}

/**
 * The request log: one record per request, durable from the moment its response starts
 * (write-ahead spool), written to the store in batches off the response path, queryable and
 * tailed live. See docs/observability.md for the exact guarantee.
 */
export class RequestLog {
  readonly store: LogStore;
  readonly pipeline: LogPipeline;
  readonly tail = new LogTail();
  readonly retention: LogRetention;
  private readonly config: LogsConfig;
  private readonly redactor: Redactor;
  private readonly runtime: GatewayRuntime;
  private migrated: Promise<void> | undefined;

  constructor(runtime: GatewayRuntime, config: LogsConfig) {
    this.runtime = runtime;
    this.config = config;
    this.store = createStore(runtime, config);
    this.redactor = new Redactor(config.content.redact);
    // Cluster workers (--workers N) each keep their own spool, by their stable worker index,
    // so a replacement worker replays what its predecessor left.
    const workerIndex = process.env.SWITCHYARD_WORKER_INDEX;
    const spoolDir = workerIndex === undefined ? config.spool.dir : `${config.spool.dir}-worker-${workerIndex}`;
    const spool = new LogSpool(path.resolve(runtime.config.dataDir, spoolDir), {
      segmentBytes: config.spool.segmentBytes,
      maxBytes: config.spool.maxBytes,
      fsync: config.spool.fsync,
    });
    const store = this.store;
    const sink: LogSink = {
      insert: async (rows) => {
        await this.ready();
        await store.insert(rows);
      },
    };
    if (store.insertJson !== undefined) {
      sink.insertJson = async (json) => {
        await this.ready();
        await store.insertJson!(json);
      };
    }
    this.pipeline = new LogPipeline(
      sink,
      spool,
      {
        maxRecords: config.queue.maxRecords,
        batchSize: config.queue.batchSize,
        flushIntervalMs: config.queue.flushInterval,
        whenFull: config.spool.whenFull,
      },
      runtime.logger,
    );
    this.retention = new LogRetention(
      this.store,
      {
        maxAgeMs: config.retention.maxAge,
        maxBytes: config.retention.maxBytes,
        intervalMs: config.retention.interval,
      },
      runtime.logger,
    );
  }

  /** Schema migrations, retried on the next write while the database is unreachable. */
  ready(): Promise<void> {
    this.migrated ??= this.store.migrate().catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  start(): void {
    this.pipeline.start();
    this.ready().catch((error: unknown) =>
      this.runtime.logger.warn(
        { err: error },
        'request log store not reachable yet; records wait in the spool',
      ),
    );
    this.retention.start();
  }

  register(hooks: PipelineHooks): void {
    const content = this.config.content;
    hooks.authenticate.push((context) => this.arrive(context));
    if (fullContentPossible(content)) hooks.admit.push((context) => prepareContentCapture(content, context));
    hooks.responseHeaders.push((context) => this.responseStarts(context));
    hooks.complete.push((record, context) => this.complete(record, context));
  }

  /** A request that will complete through the pipeline: refuse it if it could not be recorded. */
  private arrive(context: RequestContext): void {
    if (this.pipeline.rejecting) {
      context.state.set(LOG_STATE, { logId: '', openSegment: -1, refused: true } satisfies LogState);
      throw new GatewayError({
        code: 'queue_full',
        status: 503,
        retryable: true,
        message: 'The request log spool is full (the log store is unavailable); try again later.',
      });
    }
    context.state.set(LOG_STATE, { logId: timeOrderedId(), openSegment: -1 } satisfies LogState);
    const metadata = context.request.headers['x-switchyard-metadata'];
    if (metadata !== undefined) readClientMetadata(metadata, context.record.metadata);
  }

  /** The response is about to start: make the request durable before any byte leaves. */
  private responseStarts(context: RequestContext): void {
    const state = context.state.get(LOG_STATE) as LogState | undefined;
    if (state === undefined || state.openSegment !== -1 || state.refused) return;
    state.openSegment = this.pipeline.open(buildLogRow(context.record, state.logId, undefined, true));
  }

  private complete(record: RequestRecord, context: RequestContext): void {
    const state = context.state.get(LOG_STATE) as LogState | undefined;
    if (state?.refused) return;
    if (record.traceId === undefined) {
      const parent = parseTraceParent(context.request.headers.traceparent);
      if (parent !== undefined) record.traceId = parent.traceId;
    }
    const row = buildLogRow(
      record,
      state?.logId ?? timeOrderedId(),
      captureContent(this.config.content, this.redactor, context),
    );
    this.pipeline.accept(row, state?.openSegment ?? -1);
    this.tail.publish(row);
  }

  async close(): Promise<void> {
    this.retention.stop();
    this.tail.closeAll();
    await this.pipeline.close(this.config.closeTimeout);
    await this.retention.idle();
    await this.store.close();
  }
}
