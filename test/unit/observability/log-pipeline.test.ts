import { appendFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLogRow } from '../../../src/observability/logs/build-log-row.js';
import { LogPipeline, type LogSink } from '../../../src/observability/logs/log-pipeline.js';
import { LogSpool } from '../../../src/observability/logs/log-spool.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createRequestRecord } from '../../../src/pipeline/request-record.js';
import type { LogRow } from '../../../src/store/logs/log-row.js';

const logger = createLogger({ level: 'silent', sync: true });

/** A store stand-in: idempotent on logId like the real ones, and can be "down". */
class MemorySink implements LogSink {
  readonly rows = new Map<string, LogRow>();
  down = false;
  batches = 0;
  duplicates = 0;
  /** Batches handed over as JSON text (the memory queue's). */
  jsonBatches = 0;
  async insertJson(json: readonly string[]): Promise<void> {
    if (this.down) throw new Error('store down');
    this.jsonBatches++;
    await this.insert(json.map((text) => JSON.parse(text) as LogRow));
  }
  async insert(rows: readonly LogRow[]): Promise<void> {
    if (this.down) throw new Error('store down');
    this.batches++;
    for (const row of rows) {
      if (this.rows.has(row.logId)) this.duplicates++;
      else this.rows.set(row.logId, row);
    }
  }
}

function row(index: number, status = 200): LogRow {
  const record = createRequestRecord(`req-${index}`, 'openai', 'chat', '/v1/chat/completions');
  record.status = status;
  record.timing.totalMs = 5;
  return buildLogRow(record, `log-${index}`);
}

function setup(
  dir = mkdtempSync(path.join(tmpdir(), 'spool-test-')),
  options: Partial<{
    maxRecords: number;
    segmentBytes: number;
    maxBytes: number;
    whenFull: 'reject' | 'drop';
  }> = {},
) {
  const sink = new MemorySink();
  const spool = new LogSpool(dir, {
    segmentBytes: options.segmentBytes ?? 4096,
    maxBytes: options.maxBytes ?? 1 << 30,
    fsync: false,
  });
  const pipeline = new LogPipeline(
    sink,
    spool,
    {
      maxRecords: options.maxRecords ?? 1000,
      batchSize: 7,
      flushIntervalMs: 5,
      whenFull: options.whenFull ?? 'reject',
    },
    logger,
  );
  pipeline.start();
  return { dir, sink, spool, pipeline };
}

const until = async (condition: () => boolean): Promise<void> => {
  for (let index = 0; index < 500 && !condition(); index++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
};

describe('request log pipeline', () => {
  it('writes every accepted record once and deletes settled spool segments', async () => {
    const { sink, spool, pipeline, dir } = setup();
    for (let index = 0; index < 100; index++) {
      const open = pipeline.open({ ...row(index), interrupted: true });
      pipeline.accept(row(index), open);
    }
    await pipeline.drained();
    expect(sink.rows.size).toBe(100);
    expect(sink.duplicates).toBe(0);
    expect(sink.batches).toBeGreaterThan(1);
    // Queued rows reach the store as the JSON made once for the spool.
    expect(sink.jsonBatches).toBe(sink.batches);
    expect([...sink.rows.values()].every((stored) => !stored.interrupted)).toBe(true);
    // Only the segment being written is left.
    expect(spool.segments()).toEqual([spool.currentSegment]);
    await pipeline.close(1000);
    expect(readdirSync(dir).filter((name) => name.startsWith('segment-'))).toEqual([]);
  });

  it('hands a store without insertJson the queued records as parsed rows', async () => {
    const { sink, pipeline } = setup();
    const plain: LogSink = { insert: (rows) => sink.insert(rows) };
    (pipeline as unknown as { sink: LogSink }).sink = plain;
    const rows = Array.from({ length: 20 }, (_, index) => row(index, index % 2 ? 200 : 502));
    for (const each of rows) pipeline.accept(each, -1);
    await pipeline.drained();
    expect(sink.jsonBatches).toBe(0);
    expect([...sink.rows.values()].map((stored) => stored.status).sort()).toEqual([...Array(10).fill(200), ...Array(10).fill(502)]);
    expect(sink.rows.get('log-3')).toEqual(rows[3]);
    await pipeline.close(1000);
  });

  it('keeps records through a store outage: queue bound, spool overflow, replay, nothing twice', async () => {
    const { sink, pipeline } = setup(undefined, { maxRecords: 10 });
    sink.down = true;
    for (let index = 0; index < 60; index++) pipeline.accept(row(index), pipeline.open(row(index)));
    await until(() => pipeline.stats.failedBatches > 0);
    expect(pipeline.depth).toBe(60);
    expect(pipeline.lagMs).toBeGreaterThanOrEqual(0);
    sink.down = false;
    await pipeline.drained();
    expect(sink.rows.size).toBe(60);
    expect(sink.duplicates).toBe(0);
    expect(pipeline.stats.replayed).toBe(50);
    expect(pipeline.depth).toBe(0);
    // After catching up, new records take the memory path again.
    pipeline.accept(row(1000), -1);
    await pipeline.drained();
    expect(sink.rows.has('log-1000')).toBe(true);
    expect(pipeline.stats.replayed).toBe(50);
    await pipeline.close(1000);
  });

  it('replays what a killed process left: final records, and interrupted ones from their open entry', async () => {
    const first = setup();
    first.sink.down = true;
    for (let index = 0; index < 5; index++) {
      const open = first.pipeline.open({ ...row(index), interrupted: true });
      if (index < 3) first.pipeline.accept(row(index), open);
    }
    // A write torn by the crash at the end of the segment.
    const segment = readdirSync(first.dir).find((name) => name.startsWith('segment-'))!;
    appendFileSync(path.join(first.dir, segment), '{"t":"f","r":{"logId":"torn');
    // No close: the process "died". A new one starts on the same folder.
    const second = setup(first.dir);
    await second.pipeline.drained();
    expect([...second.sink.rows.keys()].sort()).toEqual(['log-0', 'log-1', 'log-2', 'log-3', 'log-4']);
    expect(second.sink.rows.get('log-0')!.interrupted).toBe(false);
    expect(second.sink.rows.get('log-3')!.interrupted).toBe(true);
    expect(second.pipeline.stats.recovered).toBe(5);
    expect(second.spool.segments()).toEqual([second.spool.currentSegment]);
    await second.pipeline.close(1000);
    const third = setup(first.dir);
    await third.pipeline.drained();
    expect(third.sink.rows.size).toBe(0);
    await third.pipeline.close(1000);
  });

  it('refuses new requests when the spool is full in reject mode, and drops in drop mode', async () => {
    const reject = setup(undefined, { maxBytes: 2000 });
    reject.sink.down = true;
    for (let index = 0; index < 5; index++) reject.pipeline.accept(row(index), -1);
    expect(reject.pipeline.rejecting).toBe(true);
    reject.sink.down = false;
    await reject.pipeline.drained();
    expect(reject.sink.rows.size).toBe(5);
    expect(reject.pipeline.rejecting).toBe(false);
    await reject.pipeline.close(1000);

    const drop = setup(undefined, { maxBytes: 2000, maxRecords: 2, whenFull: 'drop' });
    drop.sink.down = true;
    for (let index = 0; index < 8; index++) drop.pipeline.accept(row(index), -1);
    expect(drop.pipeline.rejecting).toBe(false);
    expect(drop.pipeline.stats.dropped).toBeGreaterThan(0);
    drop.sink.down = false;
    await drop.pipeline.drained();
    expect(drop.sink.rows.size + drop.pipeline.stats.dropped).toBe(8);
    await drop.pipeline.close(1000);
  });

  it('leaves unwritten records in the spool on a shutdown deadline, for the next start', async () => {
    const first = setup();
    first.sink.down = true;
    for (let index = 0; index < 4; index++) first.pipeline.accept(row(index), -1);
    expect(await first.pipeline.close(50)).toEqual({ flushed: false });
    const second = setup(first.dir);
    await second.pipeline.drained();
    expect(second.sink.rows.size).toBe(4);
    await second.pipeline.close(1000);
  });

  it('refuses a spool folder another live process holds', () => {
    const { dir, pipeline } = setup();
    const other = new LogSpool(dir, { segmentBytes: 4096, maxBytes: 1 << 20, fsync: false });
    // Our own pid is allowed (restart in-process); pid 1 is alive and not us.
    writeFileSync(path.join(dir, 'spool.lock'), '1\n');
    expect(() => other.open()).toThrow(/in use by process 1/);
    void pipeline.close(100);
  });

  it('keeps serving and recording in memory when the spool cannot be written', async () => {
    const { sink, spool, pipeline } = setup();
    spool.append = () => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    };
    expect(pipeline.open(row(1))).toBe(-1);
    pipeline.accept(row(1), -1);
    await pipeline.drained();
    expect(sink.rows.has('log-1')).toBe(true);
    expect(pipeline.stats.spoolErrors).toBe(2);
    await pipeline.close(1000);
  });

  it('replays records larger than the read buffer', async () => {
    const first = setup(undefined, { maxRecords: 1 });
    first.sink.down = true;
    const big = { ...row(1), requestContent: JSON.stringify({ text: 'y'.repeat(700_000) }) };
    first.pipeline.accept(row(0), -1);
    first.pipeline.accept(big, -1);
    first.pipeline.accept(row(2), -1);
    const second = setup(first.dir);
    await second.pipeline.drained();
    expect([...second.sink.rows.keys()].sort()).toEqual(['log-0', 'log-1', 'log-2']);
    expect(second.sink.rows.get('log-1')!.requestContent).toHaveLength(big.requestContent.length);
    await second.pipeline.close(1000);
  });
});
