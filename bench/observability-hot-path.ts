/**
 * What the request log and metrics cost per request on the gateway's event loop:
 * - the write-ahead entry appended before the response starts (on the response path),
 * - the final record appended and queued when the request completes (after the response),
 * - the metrics update at completion,
 * - handing a 500-row batch to the SQLite log store's worker thread as the JSON the pipeline
 *   already made for the spool (the rest runs off the loop).
 * Run: node --import tsx bench/observability-hot-path.ts [requests]
 * Numbers depend on the machine and its disk; the spool is written to the OS temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLogRow } from '../src/observability/logs/build-log-row.js';
import { LogPipeline } from '../src/observability/logs/log-pipeline.js';
import { LogSpool } from '../src/observability/logs/log-spool.js';
import { createLogger } from '../src/observability/logger.js';
import { GatewayMetrics } from '../src/observability/metrics/gateway-metrics.js';
import { createRequestRecord, type RequestRecord } from '../src/pipeline/request-record.js';
import { ThreadedSqliteLogStore } from '../src/store/logs/threaded-sqlite-log-store.js';
import type { Router } from '../src/router/router.js';

const REQUESTS = Number(process.argv[2] ?? 50_000);

function sampleRecord(index: number): RequestRecord {
  const record = createRequestRecord(`req-${index}`, 'openai', 'chat', '/v1/chat/completions');
  record.modelRequested = 'openai/gpt-4o-mini';
  record.provider = 'openai';
  record.providerType = 'openai';
  record.model = 'gpt-4o-mini';
  record.modelReported = 'gpt-4o-mini-2024-07-18';
  record.keyName = 'primary';
  record.status = 200;
  record.stream = index % 2 === 0;
  record.usage = { inputTokens: 812, outputTokens: 143, cacheReadTokens: 512, totalTokens: 955 };
  record.costUsd = 0.000207;
  record.attempts = [
    {
      provider: 'openai',
      model: 'gpt-4o-mini',
      key: 'primary',
      status: 200,
      latencyMs: 412.5,
      outcome: 'success',
      passthrough: true,
    },
  ];
  record.timing = { upstreamMs: 412.5, firstByteMs: 120.2, totalMs: 413.1, overheadMs: 0.6 };
  record.principal = { virtualKeyName: 'team-a', virtualKeyId: 'vk_123', teamId: 'team_1' };
  return record;
}

function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-bench-'));
  const logger = createLogger({ level: 'silent', sync: true });
  const sink = { insert: async () => undefined };
  const pipeline = new LogPipeline(
    sink,
    new LogSpool(dir, { segmentBytes: 8 * 1024 * 1024, maxBytes: 1024 ** 3, fsync: false }),
    { maxRecords: 10_000, batchSize: 500, flushIntervalMs: 200, whenFull: 'reject' },
    logger,
  );
  pipeline.start();
  const metrics = new GatewayMetrics({
    version: 'bench',
    router: {} as Router,
    inflight: () => 0,
    processMetrics: false,
  });
  const open = new Float64Array(REQUESTS);
  const final = new Float64Array(REQUESTS);
  const metric = new Float64Array(REQUESTS);
  for (let index = 0; index < REQUESTS; index++) {
    const record = sampleRecord(index);
    let started = performance.now();
    const segment = pipeline.open(buildLogRow(record, `log-${index}`, undefined, true));
    open[index] = performance.now() - started;
    started = performance.now();
    pipeline.accept(buildLogRow(record, `log-${index}`), segment);
    final[index] = performance.now() - started;
    started = performance.now();
    metrics.recordRequest(record);
    metric[index] = performance.now() - started;
    if (index % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  await pipeline.close(10_000);
  const store = new ThreadedSqliteLogStore(path.join(dir, 'logs.db'));
  await store.migrate();
  const handOff = new Float64Array(40);
  const written = new Float64Array(40);
  for (let batch = 0; batch < handOff.length; batch++) {
    const json = Array.from({ length: 500 }, (_, index) =>
      JSON.stringify(buildLogRow(sampleRecord(index), `batch-${batch}-${index}`)),
    );
    const started = performance.now();
    const done = store.insertJson(json);
    handOff[batch] = performance.now() - started;
    await done;
    written[batch] = performance.now() - started;
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const report = (name: string, values: Float64Array): string =>
    `${name.padEnd(42)} p50 ${(percentile(values, 50) * 1000).toFixed(1).padStart(6)} µs   p99 ${(percentile(values, 99) * 1000).toFixed(1).padStart(6)} µs`;
  process.stdout.write(
    [
      `${REQUESTS} requests, Node ${process.version}`,
      report('write-ahead entry (before the response)', open),
      report('final record: spool append + queue', final),
      report('metrics update', metric),
      report('SQLite 500-row batch: event-loop hand-off', handOff),
      report('SQLite 500-row batch: written (worker thread)', written),
    ].join('\n') + '\n',
  );
}

void main();
