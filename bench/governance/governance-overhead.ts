/**
 * What governance adds to a request, measured two ways:
 *  1. the hot-path pieces alone (key lookup, the request estimate — bytes/3 against a real
 *     tokenizer —, admission and settlement on the in-process counters);
 *  2. end to end through an in-process gateway and a mock upstream: the gateway's own time per
 *     request (x-switchyard-processing-ms, upstream time excluded) with no governance, and with a
 *     key that has a budget and rate limits on the key, its team and its customer.
 * Optionally (--redis URL) also with the Redis counters.
 *
 *   node --import tsx bench/governance/governance-overhead.ts [--requests 3000] [--redis redis://127.0.0.1:6379]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getEncoding } from 'js-tiktoken';
import { validateConfig } from '../../src/config/load-config.js';
import { createGateway } from '../../src/gateway.js';
import { budgetCharges, rateCharges } from '../../src/governance/limit-charges.js';
import { GovernanceState } from '../../src/governance/governance-state.js';
import { readClientKeys } from '../../src/governance/read-client-key.js';
import { hashVirtualKey } from '../../src/governance/virtual-key-secret.js';
import { createLogger } from '../../src/observability/logger.js';
import { InProcessCounters } from '../../src/store/counters/in-process-counters.js';
import { MockUpstream, fixtureReply } from '../../test/helpers/mock-upstream.js';
import { BENCH_LIMITS, benchVirtualKeys } from './bench-virtual-keys.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '3000' }, redis: { type: 'string' } },
});
const REQUESTS = Number(values.requests);

function perOp(label: string, iterations: number, run: (index: number) => void): void {
  for (let index = 0; index < Math.min(iterations, 2000); index++) run(index);
  const start = performance.now();
  for (let index = 0; index < iterations; index++) run(index);
  const micros = ((performance.now() - start) * 1000) / iterations;
  console.log(`${label.padEnd(58)} ${micros.toFixed(2).padStart(8)} µs/op`);
}

async function perOpAsync(
  label: string,
  iterations: number,
  run: (index: number) => Promise<unknown>,
): Promise<void> {
  for (let index = 0; index < Math.min(iterations, 2000); index++) await run(index);
  const start = performance.now();
  for (let index = 0; index < iterations; index++) await run(index);
  const micros = ((performance.now() - start) * 1000) / iterations;
  console.log(`${label.padEnd(58)} ${micros.toFixed(2).padStart(8)} µs/op`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const body = JSON.stringify({
  model: 'gpt-4o-mini',
  max_tokens: 256,
  messages: [
    { role: 'system', content: 'You are a careful assistant who answers in short paragraphs. '.repeat(4) },
    {
      role: 'user',
      content:
        'Summarise the plot of a long novel about a lighthouse keeper and the sea, in three sentences. '.repeat(
          12,
        ),
    },
  ],
});

async function micro(): Promise<void> {
  console.log(`\n1. hot-path pieces (body ${Buffer.byteLength(body)} bytes)`);
  const now = new Date().toISOString();
  const limits = BENCH_LIMITS;
  const state = new GovernanceState({
    customers: [
      { id: 'c', name: 'c', source: 'api', ...limits, metadata: {}, createdAt: now, updatedAt: now },
    ],
    teams: [
      {
        id: 't',
        name: 't',
        customerId: 'c',
        source: 'api',
        ...limits,
        metadata: {},
        createdAt: now,
        updatedAt: now,
      },
    ],
    virtualKeys: benchVirtualKeys(10_000, (index) => `sk-sy-bench-${index}`, { teamId: 't' }),
    providerLimits: [],
    providers: [],
    providerKeys: [],
  });
  const request = {
    headers: { authorization: 'Bearer sk-sy-bench-4242' },
    url: '/v1/chat/completions',
  } as unknown as IncomingMessage;
  perOp('authenticate: read header, sha256, lookup (10k keys)', 200_000, () => {
    const [key] = readClientKeys(request);
    if (state.keysByHash.get(hashVirtualKey(key!)) === undefined) throw new Error('not found');
  });
  perOp('estimate: body bytes / 3', 1_000_000, () => {
    if (Math.ceil(Buffer.byteLength(body) / 3) < 0) throw new Error();
  });
  const encoding = getEncoding('o200k_base');
  console.log(
    `   (bytes/3 gives ${Math.ceil(Buffer.byteLength(body) / 3)} tokens; o200k_base counts ${encoding.encode(body).length} for the whole JSON body)`,
  );
  perOp('estimate: js-tiktoken o200k_base encode of the body', 2_000, () => {
    encoding.encode(body);
  });
  const subjects = state.keysById.get('k1')!.subjects;
  const counters = new InProcessCounters(async () => 0);
  let id = 0;
  await perOpAsync('admit + settle, in-process (3 budgets, 6 rate limits)', 100_000, async () => {
    const requestId = `r${id++}`;
    const budgets = budgetCharges(subjects, Date.now(), 1000);
    const rates = rateCharges(subjects, 300);
    await counters.admit(requestId, budgets, rates, 600_000);
    await counters.settle(
      requestId,
      budgets.map((charge) => ({
        counter: charge.counter,
        subject: charge.subject,
        window: charge.window,
        reservedNano: 1000,
        actualNano: 800,
      })),
      rates
        .filter((charge) => charge.kind === 'tokens')
        .map((charge) => ({
          counter: charge.counter,
          limit: charge.limit,
          periodMs: charge.periodMs,
          delta: -50,
        })),
    );
  });
  await counters.close();
}

async function endToEnd(
  label: string,
  upstream: MockUpstream,
  extra: Record<string, unknown>,
  key: string | undefined,
): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-bench-'));
  const { config } = validateConfig(
    {
      dataDir,
      server: { port: 0 },
      logging: { level: 'silent', requests: false },
      providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] } },
      ...extra,
    },
    { BENCH_KEY: 'sk-sy-bench-key-0123456789abcdef' },
  );
  const gateway = await createGateway(config!, { logger: createLogger({ level: 'silent' }), env: {} });
  const { url } = await gateway.listen();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
  };
  const overhead: number[] = [];
  for (let index = 0; index < REQUESTS + 300; index++) {
    const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers, body });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${label}: status ${response.status}`);
    if (index >= 300) overhead.push(Number(response.headers.get('x-switchyard-processing-ms')));
  }
  await gateway.close();
  overhead.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} p50 ${percentile(overhead, 0.5).toFixed(3)} ms  p99 ${percentile(overhead, 0.99).toFixed(3)} ms`,
  );
}

async function main(): Promise<void> {
  await micro();
  console.log(
    `\n2. gateway processing time per request (x-switchyard-processing-ms), ${REQUESTS} sequential requests after 300 warm-up`,
  );
  const upstream = await new MockUpstream().start();
  upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
  const catalog = path.join(mkdtempSync(path.join(tmpdir(), 'switchyard-bench-')), 'catalog.json');
  writeFileSync(
    catalog,
    JSON.stringify({
      models: [{ provider: 'openai', id: 'gpt-4o-mini', pricing: { input: 0.15, output: 0.6 } }],
    }),
  );
  const limits = {
    budget: { usd: 1000, period: '1d' },
    rateLimit: { requests: 1_000_000, tokens: 1e12, per: '1m' },
  };
  const governed = {
    catalog: { files: [catalog] },
    customers: [{ name: 'c', ...limits }],
    teams: [{ name: 't', customer: 'c', ...limits }],
    virtualKeys: [{ name: 'k', value: 'env.BENCH_KEY', team: 't', ...limits }],
  };
  await endToEnd('no governance (open mode)', upstream, {}, undefined);
  await endToEnd(
    'virtual key + budgets + rate limits (in-process counters)',
    upstream,
    governed,
    'sk-sy-bench-key-0123456789abcdef',
  );
  if (values.redis !== undefined) {
    await endToEnd(
      'same, counters in Redis',
      upstream,
      { ...governed, stores: { redis: { url: values.redis } } },
      'sk-sy-bench-key-0123456789abcdef',
    );
  }
  await upstream.stop();
}

await main();
