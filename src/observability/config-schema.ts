import { z } from 'zod';
import { parseDuration, parseSize } from '../config/parse-size.js';

/*
 * The `observability` section of the config file: request log (content, store, queue, spool,
 * retention), Prometheus metrics and OpenTelemetry tracing. Every key is documented with its
 * default in docs/observability.md.
 */

const duration = z.union([z.number(), z.string()]).transform((value, context) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a duration (use e.g. 500ms, 30s, 5m)` });
    return z.NEVER;
  }
  return ms;
});

const size = z.union([z.number(), z.string()]).transform((value, context) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a size (use e.g. 512kb, 20mb)` });
    return z.NEVER;
  }
  return bytes;
});

/** What of a request's content goes into its log record. */
export const contentModeSchema = z.enum(['off', 'metadata', 'full']);
export type ContentMode = z.output<typeof contentModeSchema>;

const regexSource = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'g');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

export const logsSchema = z
  .strictObject({
    /** Keep a request log at all. */
    enabled: z.boolean().default(true),
    /** Where records go: PostgreSQL when `stores.postgres` is configured (auto), else SQLite. */
    store: z.enum(['auto', 'sqlite', 'postgres']).default('auto'),
    /** SQLite file, relative to dataDir. */
    sqliteFile: z.string().min(1).default('logs.db'),
    content: z
      .strictObject({
        /** off: no content; metadata: shapes and parameters, no text; full: bodies, redacted. */
        mode: contentModeSchema.default('metadata'),
        /** Per virtual key (name or id) override of the mode. */
        byVirtualKey: z.record(z.string(), contentModeSchema).default({}),
        /** Bodies longer than this are cut (with a marker) in full mode. */
        maxBytes: size.default(64 * 1024),
        redact: z
          .strictObject({
            /** The built-in secret patterns (API keys, bearer tokens, JWTs, private keys). */
            builtin: z.boolean().default(true),
            /** Extra regular expressions; every match becomes "[redacted]". */
            patterns: z.array(regexSource).default([]),
            /** JSON field names whose values are always redacted (case-insensitive). */
            fields: z.array(z.string().min(1)).default([]),
          })
          .prefault({}),
      })
      .prefault({}),
    queue: z
      .strictObject({
        /** Records held in memory waiting for the store; beyond this they wait in the spool only. */
        maxRecords: z.number().int().positive().default(10_000),
        /** Rows per store write. */
        batchSize: z.number().int().min(1).max(1000).default(500),
        /** Longest a record waits in memory before its batch is written. */
        flushInterval: duration.default(200),
      })
      .prefault({}),
    spool: z
      .strictObject({
        /** Folder of the write-ahead spool, relative to dataDir. */
        dir: z.string().min(1).default('log-spool'),
        /** Segment file size before a new one is started. */
        segmentBytes: size.default(8 * 1024 * 1024),
        /** Bound of the spool on disk (records waiting for an unavailable store). */
        maxBytes: size.default(1024 * 1024 * 1024),
        /** When the spool is full: refuse new requests with 503 (reject) or stop logging (drop). */
        whenFull: z.enum(['reject', 'drop']).default('reject'),
        /** fdatasync every append: survives power loss, not only process crashes (slow). */
        fsync: z.boolean().default(false),
      })
      .prefault({}),
    retention: z
      .strictObject({
        /** Records older than this are deleted. */
        maxAge: duration.default(30 * 86_400_000),
        /** The log store is kept under this size; the oldest records go first. */
        maxBytes: size.default(2 * 1024 * 1024 * 1024),
        /** How often retention runs. */
        interval: duration.default(5 * 60_000),
      })
      .prefault({}),
    /** How long a graceful shutdown waits for the store to take the queue (the spool keeps the rest). */
    closeTimeout: duration.default(10_000),
  })
  .prefault({});

export const metricsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    path: z.string().startsWith('/').default('/metrics'),
    /** Require `Authorization: Bearer <token>` to scrape (e.g. env.METRICS_TOKEN). */
    token: z.string().min(1).optional(),
    /** Node.js process metrics (CPU, memory, event loop lag, GC) with the switchyard_ prefix. */
    processMetrics: z.boolean().default(true),
  })
  .prefault({});

export const tracingSchema = z
  .strictObject({
    /** Off by default; when off nothing is created and no hook runs. */
    enabled: z.boolean().default(false),
    /** OTLP/HTTP traces endpoint (JSON encoding). */
    endpoint: z.string().url().default('http://127.0.0.1:4318/v1/traces'),
    /** Extra headers for the exporter (e.g. an API key for a hosted backend). */
    headers: z.record(z.string(), z.string()).default({}),
    serviceName: z.string().min(1).default('switchyard'),
    /** Fraction of new traces sampled; a client's sampled flag is honoured. */
    sampleRatio: z.number().min(0).max(1).default(1),
    /** Send traceparent (and the client's tracestate) to providers. */
    propagate: z.boolean().default(true),
    /** Longest time spans wait before being exported. */
    exportInterval: duration.default(1000),
    /** Spans buffered for export; beyond this they are dropped (never blocking requests). */
    maxQueueSize: z.number().int().positive().default(4096),
    exportTimeout: duration.default(10_000),
  })
  .prefault({});

export const observabilitySchema = z
  .strictObject({
    logs: logsSchema,
    metrics: metricsSchema,
    tracing: tracingSchema,
  })
  .prefault({});

export type ObservabilityConfig = z.output<typeof observabilitySchema>;
export type LogsConfig = ObservabilityConfig['logs'];
export type MetricsConfig = ObservabilityConfig['metrics'];
export type TracingConfig = ObservabilityConfig['tracing'];
