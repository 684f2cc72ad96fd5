import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptRecord, RequestRecord } from '../../pipeline/request-record.js';
import type { Router } from '../../router/router.js';
import { errorClassOf } from '../logs/error-class.js';
import { HistogramCells, ValueCells } from './metric-cells.js';
import { CIRCUIT_STATE_VALUES, readRouterState } from './router-state.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Numbers the log pipeline exposes, read on each scrape. */
export interface LogPipelineGauges {
  depth: number;
  lagMs: number;
  spoolBytes: number;
  stats: { written: number; failedBatches: number; dropped: number; spoolErrors: number };
}

export interface MetricsSources {
  version: string;
  router: Router;
  /** Requests being handled by the HTTP server. */
  inflight(): number;
  logs?: () => LogPipelineGauges;
  processMetrics: boolean;
}

/** Counters whose source is a running total elsewhere: add the difference on each scrape. */
function totalCounter(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  let last = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value === undefined) return;
      if (value > last) this.inc(value - last);
      last = value;
    },
  });
}

/**
 * The gateway's Prometheus metrics (docs/metrics.md lists each one). A registry of its own, so
 * several gateways in one process (tests) do not mix. Request metrics are recorded once per
 * request from the completed record; attempt gauges from the attempt hooks; the rest is read
 * when scraped.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: ValueCells<'surface' | 'operation' | 'provider' | 'model' | 'status'>;
  private readonly errors: ValueCells<'surface' | 'provider' | 'error_class' | 'error_code'>;
  private readonly duration: HistogramCells<'surface' | 'provider' | 'model'>;
  private readonly upstream: HistogramCells<'provider' | 'model'>;
  private readonly overhead: HistogramCells<'surface'>;
  private readonly firstToken: HistogramCells<'provider' | 'model'>;
  private readonly tokens: ValueCells<'provider' | 'model' | 'type'>;
  private readonly cost: ValueCells<'provider' | 'model'>;
  private readonly unpriced: ValueCells<'provider' | 'model'>;
  private readonly attempts: ValueCells<'provider' | 'model' | 'outcome' | 'status'>;
  private readonly attemptDuration: HistogramCells<'provider' | 'outcome'>;
  private readonly retries: ValueCells<'provider' | 'model'>;
  private readonly fallbacks: ValueCells<'provider' | 'model'>;
  private readonly upstreamInflight: ValueCells<'provider'>;
  private readonly cache: ValueCells<'result'>;
  private readonly warnings: ValueCells<'code'>;
  private scrapeCluster: (() => Promise<string>) | undefined;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    if (sources.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_' });
    new Gauge({
      name: 'switchyard_build_info',
      help: 'Switchyard version (value is always 1).',
      labelNames: ['version'],
      registers,
      aggregator: 'first',
    }).set({ version: sources.version }, 1);
    this.requests = new ValueCells(
      new Counter({
      name: 'switchyard_requests_total',
      help: 'Requests handled, by surface, operation, provider and model that answered, and HTTP status sent.',
      labelNames: ['surface', 'operation', 'provider', 'model', 'status'],
      registers,
    }),
    );
    this.errors = new ValueCells(
      new Counter({
      name: 'switchyard_request_errors_total',
      help: 'Requests that ended in an error, by error class and code.',
      labelNames: ['surface', 'provider', 'error_class', 'error_code'],
      registers,
    }),
    );
    this.duration = new HistogramCells(
      new Histogram({
      name: 'switchyard_request_duration_seconds',
      help: 'Total request time, from arrival to the last byte of the response.',
      labelNames: ['surface', 'provider', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
      LATENCY_BUCKETS,
    );
    this.upstream = new HistogramCells(
      new Histogram({
      name: 'switchyard_upstream_duration_seconds',
      help: 'Time spent waiting on providers per request, summed over its attempts.',
      labelNames: ['provider', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
      LATENCY_BUCKETS,
    );
    this.overhead = new HistogramCells(
      new Histogram({
      name: 'switchyard_gateway_overhead_seconds',
      help: "The gateway's own time per request (total minus upstream time).",
      labelNames: ['surface'],
      buckets: OVERHEAD_BUCKETS,
      registers,
    }),
      OVERHEAD_BUCKETS,
    );
    this.firstToken = new HistogramCells(
      new Histogram({
      name: 'switchyard_time_to_first_token_seconds',
      help: 'Streams: time from arrival to the first byte sent to the client.',
      labelNames: ['provider', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
      LATENCY_BUCKETS,
    );
    this.tokens = new ValueCells(
      new Counter({
      name: 'switchyard_tokens_total',
      help: 'Tokens by type: input (all prompt tokens), output (all generated), cache_read, cache_write, reasoning (subsets).',
      labelNames: ['provider', 'model', 'type'],
      registers,
    }),
    );
    this.cost = new ValueCells(
      new Counter({
      name: 'switchyard_cost_usd_total',
      help: 'Cost in US dollars, priced from the model catalog.',
      labelNames: ['provider', 'model'],
      registers,
    }),
    );
    this.unpriced = new ValueCells(
      new Counter({
      name: 'switchyard_unpriced_requests_total',
      help: 'Requests with usage whose price is unknown (model missing from the catalog).',
      labelNames: ['provider', 'model'],
      registers,
    }),
    );
    this.attempts = new ValueCells(
      new Counter({
      name: 'switchyard_upstream_attempts_total',
      help: 'Upstream attempts, by outcome (success, error, aborted) and upstream status (0: no response).',
      labelNames: ['provider', 'model', 'outcome', 'status'],
      registers,
    }),
    );
    this.attemptDuration = new HistogramCells(
      new Histogram({
      name: 'switchyard_upstream_attempt_duration_seconds',
      help: 'Duration of each upstream attempt (for streams, until the response started).',
      labelNames: ['provider', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
      LATENCY_BUCKETS,
    );
    this.retries = new ValueCells(
      new Counter({
      name: 'switchyard_retries_total',
      help: 'Attempts that retried a target.',
      labelNames: ['provider', 'model'],
      registers,
    }),
    );
    this.fallbacks = new ValueCells(
      new Counter({
      name: 'switchyard_fallbacks_total',
      help: 'Attempts made on a fallback target (labels: the fallback target).',
      labelNames: ['provider', 'model'],
      registers,
    }),
    );
    this.upstreamInflight = new ValueCells(
      new Gauge({
      name: 'switchyard_upstream_requests_in_flight',
      help: 'Upstream attempts in progress.',
      labelNames: ['provider'],
      registers,
    }),
    );
    this.cache = new ValueCells(
      new Counter({
      name: 'switchyard_cache_requests_total',
      help: 'Requests by cache result (hit, miss, bypass, semantic-hit).',
      labelNames: ['result'],
      registers,
    }),
    );
    this.warnings = new ValueCells(
      new Counter({
      name: 'switchyard_warnings_total',
      help: 'Lossy-conversion warnings reported to clients, by code.',
      labelNames: ['code'],
      registers,
    }),
    );

    new Gauge({
      name: 'switchyard_requests_in_flight',
      help: 'Requests being handled right now.',
      registers,
      collect() {
        this.set(sources.inflight());
      },
    });
    const circuit = new Gauge({
      name: 'switchyard_circuit_state',
      help: 'Circuit breaker state per provider target: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider', 'target'],
      registers,
      // Across cluster workers (each keeps its own breakers): the worst state.
      aggregator: 'max',
      collect() {
        circuit.reset();
        for (const entry of readRouterState(sources.router)?.circuits ?? []) {
          circuit.set(
            { provider: entry.provider, target: entry.target ?? '' },
            CIRCUIT_STATE_VALUES[entry.state] ?? 0,
          );
        }
      },
    });
    const queue = new Gauge({
      name: 'switchyard_router_queue_depth',
      help: "Requests waiting for a provider's concurrency slot.",
      labelNames: ['provider'],
      registers,
      collect() {
        queue.reset();
        for (const entry of readRouterState(sources.router)?.queues ?? [])
          queue.set({ provider: entry.provider }, entry.depth);
      },
    });
    const logs = sources.logs;
    if (logs !== undefined) {
      new Gauge({
        name: 'switchyard_log_queue_depth',
        help: 'Request log records accepted but not yet in the store (memory queue and spool).',
        registers,
        collect() {
          this.set(logs().depth);
        },
      });
      new Gauge({
        name: 'switchyard_log_pipeline_lag_seconds',
        help: 'Age of the oldest request log record not yet in the store.',
        registers,
        aggregator: 'max',
        collect() {
          this.set(logs().lagMs / 1000);
        },
      });
      new Gauge({
        name: 'switchyard_log_spool_bytes',
        help: 'Size of the on-disk request log spool.',
        registers,
        collect() {
          this.set(logs().spoolBytes);
        },
      });
      totalCounter(
        this.registry,
        'switchyard_log_records_written_total',
        'Request log records written to the store.',
        () => logs().stats.written,
      );
      totalCounter(
        this.registry,
        'switchyard_log_write_failures_total',
        'Failed batch writes to the log store (each is retried).',
        () => logs().stats.failedBatches,
      );
      totalCounter(
        this.registry,
        'switchyard_log_spool_errors_total',
        'Failed writes to the on-disk spool (disk full, read-only); those records are kept in memory only.',
        () => logs().stats.spoolErrors,
      );
      totalCounter(
        this.registry,
        'switchyard_log_records_dropped_total',
        'Request log records not recorded (spool full with whenFull: drop).',
        () => logs().stats.dropped,
      );
    }
  }

  /** Once per completed request. */
  recordRequest(record: RequestRecord): void {
    // The provider that answered, or for a failed request the last one tried.
    const last = record.provider === undefined ? record.attempts.at(-1) : undefined;
    const provider = record.provider ?? last?.provider ?? 'none';
    const model = record.provider !== undefined ? (record.model ?? 'none') : (last?.model ?? 'none');
    const surface = record.surface;
    this.requests.add([surface, record.operation, provider, model, String(record.status)]);
    if (record.errorCode !== undefined && record.status >= 400) {
      this.errors.add([surface, provider, errorClassOf(record.errorCode) ?? 'client', record.errorCode]);
    }
    const timing = record.timing;
    if (timing.totalMs !== undefined)
      this.duration.observe([surface, provider, model], timing.totalMs / 1000);
    if (timing.overheadMs !== undefined) this.overhead.observe([surface], timing.overheadMs / 1000);
    if (record.attempts.length > 0) this.upstream.observe([provider, model], timing.upstreamMs / 1000);
    if (record.stream && timing.firstByteMs !== undefined && record.status < 400)
      this.firstToken.observe([provider, model], timing.firstByteMs / 1000);
    const usage = record.usage;
    if (usage !== undefined) {
      if (usage.inputTokens) this.tokens.add([provider, model, 'input'], usage.inputTokens);
      if (usage.outputTokens) this.tokens.add([provider, model, 'output'], usage.outputTokens);
      if (usage.cacheReadTokens) this.tokens.add([provider, model, 'cache_read'], usage.cacheReadTokens);
      if (usage.cacheWriteTokens)
        this.tokens.add([provider, model, 'cache_write'], usage.cacheWriteTokens);
      if (usage.reasoningTokens) this.tokens.add([provider, model, 'reasoning'], usage.reasoningTokens);
      if (record.costUsd === null) this.unpriced.add([provider, model]);
    }
    if (typeof record.costUsd === 'number' && record.costUsd > 0)
      this.cost.add([provider, model], record.costUsd);
    for (const attempt of record.attempts) this.recordAttempt(attempt);
    if (record.cache !== undefined) this.cache.add([record.cache]);
    for (const warning of record.warnings) this.warnings.add([warning.code]);
  }

  private recordAttempt(attempt: AttemptRecord): void {
    this.attempts.add([attempt.provider, attempt.model, attempt.outcome, String(attempt.status)]);
    this.attemptDuration.observe([attempt.provider, attempt.outcome], attempt.latencyMs / 1000);
    const reason = attempt.reason;
    if (reason === undefined) return;
    if (reason === 'fallback' || reason.startsWith('fallback'))
      this.fallbacks.add([attempt.provider, attempt.model]);
    else if (reason.startsWith('retry')) this.retries.add([attempt.provider, attempt.model]);
  }

  attemptStarted(provider: string): void {
    this.upstreamInflight.add([provider]);
  }

  attemptEnded(provider: string): void {
    this.upstreamInflight.add([provider], -1);
  }

  /**
   * In a cluster worker (`--workers N`): scrapes answer for the whole cluster, as the primary
   * aggregates every worker's registry, instead of for the worker that took the connection.
   */
  aggregateAcross(scrape: () => Promise<string>): void {
    this.scrapeCluster = scrape;
  }

  metrics(): Promise<string> {
    return this.scrapeCluster?.() ?? this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
