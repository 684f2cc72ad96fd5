/**
 * Load generator. Open loop: requests are scheduled at a fixed rate and each latency is taken
 * from its INTENDED send time, so a proxy that falls behind shows its queueing instead of
 * hiding it (no coordinated omission). Closed loop: N requests kept in flight, for maximum
 * throughput. Streams: time to first byte and the spacing of chunks are recorded too.
 *
 *   tsx bench/load-generator.ts --url http://127.0.0.1:8080 --path /v1/chat/completions \
 *     --mode open --rate 1000 --duration 10 --warmup 2 [--stream] [--header k:v]...
 * Prints one JSON result on stdout.
 */
import { build } from 'hdr-histogram-js';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    path: { type: 'string', default: '/v1/chat/completions' },
    mode: { type: 'string', default: 'open' },
    rate: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    stream: { type: 'boolean', default: false },
    embeddings: { type: 'boolean', default: false },
    model: { type: 'string', default: 'openai/gpt-4o-mini' },
    header: { type: 'string', multiple: true, default: [] },
    connections: { type: 'string', default: '512' },
    'max-outstanding': { type: 'string', default: '4000' },
  },
});

const headers: Record<string, string> = { 'content-type': 'application/json' };
for (const header of values.header ?? []) {
  const at = header.indexOf(':');
  headers[header.slice(0, at).trim().toLowerCase()] = header.slice(at + 1).trim();
}
const body = values.embeddings
  ? JSON.stringify({ model: values.model, input: 'The quick brown fox jumps over the lazy dog' })
  : JSON.stringify({
      model: values.model,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Say hello in one short sentence.' },
      ],
      max_tokens: 64,
      ...(values.stream ? { stream: true } : {}),
    });
const path = values.embeddings ? '/v1/embeddings' : values.path!;
const pool = new Pool(values.url!, { connections: Number(values.connections), pipelining: 1, connect: { noDelay: true } });

const latency = build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const firstByte = build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const chunkGap = build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
let completed = 0;
let totalCompleted = 0;
let errors = 0;
let measuring = false;
/** Requests intended before this instant are warm-up: not recorded. */
let measureFrom = Infinity;
let outstanding = 0;
let dropped = 0;
const errorSamples = new Set<string>();

/** One request; times in microseconds from `intended`. */
async function send(intended: number): Promise<void> {
  outstanding++;
  try {
    const response = await pool.request({ method: 'POST', path, headers, body });
    if (response.statusCode !== 200) {
      errors++;
      if (errorSamples.size < 3) errorSamples.add(`${response.statusCode} ${(await response.body.text()).slice(0, 200)}`);
      else await response.body.dump();
      return;
    }
    if (values.stream) {
      let first = 0;
      let previous = 0;
      for await (const _chunk of response.body) {
        const now = performance.now();
        if (first === 0) {
          first = now;
          if (intended >= measureFrom) firstByte.recordValue(Math.max(1, Math.round((now - intended) * 1000)));
        } else if (intended >= measureFrom) chunkGap.recordValue(Math.max(1, Math.round((now - previous) * 1000)));
        previous = now;
      }
    } else {
      await response.body.dump();
    }
    totalCompleted++;
    if (measuring && intended >= measureFrom) {
      latency.recordValue(Math.max(1, Math.round((performance.now() - intended) * 1000)));
      completed++;
    }
  } catch (error) {
    errors++;
    if (errorSamples.size < 3) errorSamples.add(String((error as Error).message));
  } finally {
    outstanding--;
  }
}

const durationMs = Number(values.duration) * 1000;
const warmupMs = Number(values.warmup) * 1000;

async function openLoop(): Promise<number> {
  const rate = Number(values.rate);
  const limit = Number(values['max-outstanding']);
  const start = performance.now();
  const measureStart = start + warmupMs;
  measureFrom = measureStart;
  const end = measureStart + durationMs;
  let sent = 0;
  let measuredSent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      if (!measuring && now >= measureStart) measuring = true;
      if (now >= end) return resolve();
      const due = Math.floor(((now - start) * rate) / 1000);
      while (sent < due) {
        const intended = start + (sent * 1000) / rate;
        sent++;
        if (outstanding >= limit) {
          // Bounded memory: a request that cannot even be sent counts as an error.
          dropped++;
          if (intended >= measureStart) errors++;
          continue;
        }
        if (intended >= measureStart) measuredSent++;
        void send(intended);
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  const drainDeadline = performance.now() + 30_000;
  while (outstanding > 0 && performance.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 5));
  measuring = false;
  return measuredSent;
}

async function closedLoop(): Promise<number> {
  const concurrency = Number(values.concurrency);
  const start = performance.now();
  const measureStart = start + warmupMs;
  measureFrom = measureStart;
  const end = measureStart + durationMs;
  const worker = async (): Promise<void> => {
    for (;;) {
      const now = performance.now();
      if (!measuring && now >= measureStart) measuring = true;
      if (now >= end) return;
      await send(now);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  measuring = false;
  return completed;
}

const percentiles = (histogram: typeof latency) =>
  histogram.totalCount === 0
    ? null
    : {
        p50: histogram.getValueAtPercentile(50) / 1000,
        p90: histogram.getValueAtPercentile(90) / 1000,
        p99: histogram.getValueAtPercentile(99) / 1000,
        p999: histogram.getValueAtPercentile(99.9) / 1000,
        max: histogram.maxValue / 1000,
        mean: histogram.mean / 1000,
      };

const sent = values.mode === 'closed' ? await closedLoop() : await openLoop();
process.stdout.write(
  `${JSON.stringify({
    mode: values.mode,
    targetRate: values.mode === 'open' ? Number(values.rate) : null,
    sent,
    completed,
    totalCompleted,
    errors,
    dropped,
    errorSamples: [...errorSamples],
    achievedRate: completed / (durationMs / 1000),
    latencyMs: percentiles(latency),
    firstByteMs: values.stream ? percentiles(firstByte) : null,
    chunkGapMs: values.stream ? percentiles(chunkGap) : null,
  })}\n`,
);
await pool.close();
process.exit(0);
