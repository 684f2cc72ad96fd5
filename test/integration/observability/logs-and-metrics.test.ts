import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { logsSettled } from '../../helpers/request-log.js';
import { parsePrometheusText, sampleSum, type PrometheusFamily } from '../../helpers/prometheus-text.js';

const ADMIN = 'admin-test-key';

/** The value of the one sample with this name and exactly these labels; undefined when absent. */
function sampleValue(families: Map<string, PrometheusFamily>, name: string, labels: Record<string, string>): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  for (const family of families.values()) {
    const found = family.samples.find((sample) => sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === wanted);
    if (found !== undefined) return found.value;
  }
  return undefined;
}

/** A histogram's buckets for one label set: cumulative, ending at +Inf with the count. */
function expectHistogram(families: Map<string, PrometheusFamily>, name: string, labels: Record<string, string>, count: number): void {
  const buckets = families
    .get(name)!
    .samples.filter((sample) => sample.name === `${name}_bucket` && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  expect(buckets.length).toBeGreaterThan(1);
  for (let index = 1; index < buckets.length; index++) expect(buckets[index]!.value).toBeGreaterThanOrEqual(buckets[index - 1]!.value);
  expect(buckets.at(-1)!.labels.le).toBe('+Inf');
  expect(buckets.at(-1)!.value).toBe(count);
  expect(sampleSum(families, `${name}_count`, labels)).toBe(count);
  expect(sampleSum(families, `${name}_sum`, labels)).toBeGreaterThan(0);
}

interface ApiRecord {
  logId: string;
  requestId: string;
  startedAt: number;
  principal: { virtualKey: string | null };
  status: number;
  provider: string | null;
  model: string | null;
  stream: boolean;
  attempts: Array<{ provider: string; reason?: string; status: number; outcome: string }>;
  usage: { inputTokens: number | null; outputTokens: number | null; cacheReadTokens: number | null };
  costUsd: number | null;
  error: { code: string; class: string } | null;
  timing: { totalMs: number; upstreamMs: number; overheadMs: number; firstByteMs: number | null };
  contentMode: string;
  content?: { request: unknown; response: unknown };
  warnings: Array<{ code: string; param?: string; message: string }>;
}

describe('request log and metrics through the gateway', () => {
  let releaseGate!: () => void;
  const gate = new Promise<void>((resolve) => (releaseGate = resolve));
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  const admin = (path: string): Promise<Response> =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const drained = (): Promise<void> => logsSettled(gateway);

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    let flakyAnswers = 0;
    upstream.on('POST', '/v1/chat/completions', async (request) => {
      const body = request.json as { stream?: boolean; model?: string };
      if (body.model === 'gpt-broken')
        return { status: 500, body: JSON.stringify({ error: { message: 'boom', type: 'server_error' } }) };
      // Fails every other time: a retry of the same target then succeeds.
      if (body.model === 'gpt-flaky' && flakyAnswers++ % 2 === 0)
        return { status: 503, body: JSON.stringify({ error: { message: 'try again', type: 'server_error' } }) };
      if (body.model === 'gpt-gated') await gate;
      if (body.model === 'gpt-cached') return fixtureReply('openai-chat/cached-tokens.json');
      return body.stream
        ? fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 23, randomChunks: true })
        : fixtureReply('openai-chat/text.json');
    });
    gateway = await startTestGateway(
      {
        providers: {
          // No same-target retries: each failure here is counted once, then falls back.
          openai: { baseUrl: `${upstream.url}/v1`, keys: [{ name: 'primary', value: 'sk-test' }], retry: { attempts: 0 } },
          // One request at a time (a queue to measure), and a breaker that opens after two failures.
          narrow: {
            type: 'openai-compatible',
            baseUrl: `${upstream.url}/v1`,
            keys: [{ name: 'narrow', value: 'sk-narrow' }],
            retry: { attempts: 0 },
            concurrency: { maxInFlight: 1 },
            circuitBreaker: { consecutiveFailures: 2, ejectFor: 60_000 },
          },
        },
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
  });

  const sent: string[] = [];
  const statuses: number[] = [];

  it('serves requests of every kind and logs each once', async () => {
    for (let index = 0; index < 3; index++) {
      const { response } = await client.chat.completions
        .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `hi ${index}` }] })
        .withResponse();
      sent.push(response.headers.get('x-request-id')!);
      statuses.push(200);
    }
    for (let index = 0; index < 2; index++) {
      const { data: stream, response } = await client.chat.completions
        .create({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'stream please' }],
          stream: true,
          stream_options: { include_usage: true },
        })
        .withResponse();
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text.length).toBeGreaterThan(0);
      sent.push(response.headers.get('x-request-id')!);
      statuses.push(200);
    }
    const fallback = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-broken',
        fallbacks: ['openai/gpt-cached'],
        messages: [{ role: 'user', content: 'fall back' }],
      }),
    });
    expect(fallback.status).toBe(200);
    sent.push(fallback.headers.get('x-request-id')!);
    statuses.push(200);
    const failed = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-broken', messages: [{ role: 'user', content: 'fail' }] }),
    });
    expect(failed.status).toBe(500);
    sent.push(failed.headers.get('x-request-id')!);
    statuses.push(500);
    await drained();

    const response = await admin('/api/logs?limit=100');
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: ApiRecord[] };
    expect(data.map((record) => record.requestId).sort()).toEqual([...sent].sort());
    const byId = new Map(data.map((record) => [record.requestId, record]));
    sent.forEach((id, index) => expect(byId.get(id)!.status).toBe(statuses[index]));

    const plain = byId.get(sent[0]!)!;
    expect(plain).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      stream: false,
      usage: { inputTokens: 14, outputTokens: 37 },
      contentMode: 'metadata',
    });
    expect(plain.attempts).toMatchObject([{ provider: 'openai', status: 200, outcome: 'success' }]);
    expect(plain.costUsd).toBeCloseTo((14 * 0.15 + 37 * 0.6) / 1e6, 12);
    expect(plain.timing.totalMs).toBeGreaterThan(0);
    expect(plain.timing.overheadMs).toBeGreaterThanOrEqual(0);

    const streamed = byId.get(sent[3]!)!;
    expect(streamed).toMatchObject({ stream: true, usage: { inputTokens: 78, outputTokens: 9 } });
    expect(streamed.timing.firstByteMs).toBeGreaterThan(0);

    const fellBack = byId.get(sent[5]!)!;
    expect(fellBack.attempts.map((attempt) => [attempt.outcome, attempt.reason ?? 'requested'])).toEqual([
      ['error', 'requested'],
      ['success', 'fallback'],
    ]);
    expect(fellBack.usage.cacheReadTokens).toBe(4012);
    expect(byId.get(sent[6]!)!.error).toMatchObject({ class: 'upstream' });
  });

  it('filters, pages and fetches single records with content metadata', async () => {
    const errors = (await (await admin('/api/logs?status=error')).json()) as { data: ApiRecord[] };
    expect(errors.data.map((record) => record.requestId)).toEqual([sent[6]]);
    const boom = (await (await admin('/api/logs?q=BOOM')).json()) as { data: ApiRecord[] };
    expect(boom.data.map((record) => record.requestId)).toEqual([sent[6]]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await admin(`/api/logs?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
        data: ApiRecord[];
        nextCursor: string | null;
      };
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((record) => record.requestId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.sort()).toEqual([...sent].sort());

    const tagged = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-switchyard-metadata': JSON.stringify({ feature: 'search', tier: 2, nested: { no: 1 } }),
      },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'tagged' }] }),
    });
    const taggedId = tagged.headers.get('x-request-id')!;
    await tagged.text();
    await drained();
    const taggedRecord = (await (await admin(`/api/logs/${taggedId}`)).json()) as {
      metadata: Record<string, string>;
    };
    expect(taggedRecord.metadata).toEqual({ feature: 'search', tier: '2' });
    const found = (await (await admin('/api/logs?q=search')).json()) as { data: ApiRecord[] };
    expect(found.data.map((record) => record.requestId)).toEqual([taggedId]);
    sent.push(taggedId);

    const one = (await (await admin(`/api/logs/${sent[0]}`)).json()) as ApiRecord;
    expect(one.content?.request).toMatchObject({
      kind: 'chat',
      model: 'openai/gpt-4o-mini',
      messages: 1,
      roles: { user: 1 },
    });
    expect(JSON.stringify(one.content)).not.toContain('hi 0');
    expect((await admin('/api/logs/no-such-id')).status).toBe(404);
    expect((await fetch(`${gateway.url}/api/logs`)).status).toBe(401);
    expect((await admin('/api/logs?status=teapot')).status).toBe(400);
  });

  it('aggregates requests, tokens, cost, error rate and latency percentiles', async () => {
    const body = (await (await admin('/api/logs/aggregate?groupBy=model&bucket=1h')).json()) as {
      data: Array<{
        group: string;
        requests: number;
        errors: number;
        errorRate: number;
        inputTokens: number;
        costUsd: number;
        latencyMs: { p50: number; p99: number };
      }>;
    };
    const byModel = new Map(body.data.map((row) => [row.group, row]));
    expect(byModel.get('gpt-4o-mini')).toMatchObject({
      requests: 6,
      errors: 0,
      inputTokens: 4 * 14 + 2 * 78,
    });
    expect(byModel.get('gpt-broken')).toMatchObject({ requests: 1, errors: 1, errorRate: 1 });
    const mini = byModel.get('gpt-4o-mini')!;
    expect(mini.latencyMs.p50).toBeGreaterThan(0);
    expect(mini.latencyMs.p99).toBeGreaterThanOrEqual(mini.latencyMs.p50);
    expect(mini.costUsd).toBeGreaterThan(0);
  });

  it('exposes Prometheus metrics whose counts match the requests sent', async () => {
    // One request retried on the same target (503, then 200), so the retry series has a value.
    const retried = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchyard-retries': '1' },
      body: JSON.stringify({ model: 'openai/gpt-flaky', messages: [{ role: 'user', content: 'retry me' }] }),
    });
    expect(retried.status).toBe(200);
    await retried.text();
    expect(retried.headers.get('x-switchyard-attempt-log')).toContain('retry after 503');
    sent.push(retried.headers.get('x-request-id')!);
    await drained();

    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('x-switchyard-processing-ms')).toMatch(/^\d+\.\d{3}$/);

    const families = parsePrometheusText(await response.text());
    expect(sampleSum(families, 'switchyard_requests_total')).toBe(sent.length);
    expect(sampleSum(families, 'switchyard_requests_total', { status: '200' })).toBe(8);
    expect(
      sampleSum(families, 'switchyard_requests_total', {
        status: '500',
        provider: 'openai',
        model: 'gpt-broken',
      }),
    ).toBe(1);
    expect(sampleSum(families, 'switchyard_request_duration_seconds_count')).toBe(sent.length);
    expect(sampleSum(families, 'switchyard_gateway_overhead_seconds_count')).toBe(sent.length);
    expect(sampleSum(families, 'switchyard_time_to_first_token_seconds_count')).toBe(2);
    expect(sampleSum(families, 'switchyard_tokens_total', { type: 'input', model: 'gpt-4o-mini' })).toBe(
      4 * 14 + 2 * 78,
    );
    expect(sampleSum(families, 'switchyard_tokens_total', { type: 'cache_read' })).toBe(4012);
    expect(sampleSum(families, 'switchyard_fallbacks_total')).toBe(1);
    // One attempt per request, plus the fallback's and the retry's.
    const attempts = sent.length + 2;
    expect(sampleSum(families, 'switchyard_upstream_attempts_total')).toBe(attempts);
    expect(
      sampleSum(families, 'switchyard_upstream_attempts_total', { outcome: 'error', status: '500' }),
    ).toBe(2);
    expect(
      sampleSum(families, 'switchyard_upstream_attempts_total', { model: 'gpt-flaky', outcome: 'error', status: '503' }),
    ).toBe(1);
    expect(sampleSum(families, 'switchyard_retries_total')).toBe(1);
    expect(sampleValue(families, 'switchyard_retries_total', { provider: 'openai', model: 'gpt-flaky' })).toBe(1);
    // Upstream latency: per request (summed over its attempts) and per attempt.
    expect(families.get('switchyard_upstream_duration_seconds')?.type).toBe('histogram');
    expect(sampleSum(families, 'switchyard_upstream_duration_seconds_count')).toBe(sent.length);
    expectHistogram(families, 'switchyard_upstream_duration_seconds', { provider: 'openai', model: 'gpt-flaky' }, 1);
    expectHistogram(families, 'switchyard_upstream_attempt_duration_seconds', { provider: 'openai', outcome: 'success' }, attempts - 3);
    expectHistogram(families, 'switchyard_upstream_attempt_duration_seconds', { provider: 'openai', outcome: 'error' }, 3);
    expect(sampleSum(families, 'switchyard_upstream_requests_in_flight')).toBe(0);
    // Router gauges: every breaker closed (two 500s do not eject), nothing queued.
    const circuits = families.get('switchyard_circuit_state')!;
    expect(circuits.type).toBe('gauge');
    expect(sampleValue(families, 'switchyard_circuit_state', { provider: 'openai', target: '' })).toBe(0);
    expect(sampleValue(families, 'switchyard_circuit_state', { provider: 'openai', target: 'gpt-broken' })).toBe(0);
    expect(sampleValue(families, 'switchyard_circuit_state', { provider: 'openai', target: 'key:primary' })).toBe(0);
    for (const sample of circuits.samples) expect([0, 1, 2]).toContain(sample.value);
    expect(families.get('switchyard_router_queue_depth')?.type).toBe('gauge');
    expect(sampleValue(families, 'switchyard_router_queue_depth', { provider: 'openai' })).toBe(0);
    // Log pipeline: everything written, so no backlog and no lag; the spool gauge is there.
    expect(sampleValue(families, 'switchyard_log_pipeline_lag_seconds', {})).toBe(0);
    expect(sampleValue(families, 'switchyard_log_spool_bytes', {})).toBeGreaterThanOrEqual(0);
    expect(sampleSum(families, 'switchyard_request_errors_total', { error_class: 'upstream' })).toBe(1);
    expect(sampleSum(families, 'switchyard_cost_usd_total')).toBeGreaterThan(0);
    expect(sampleSum(families, 'switchyard_log_records_written_total')).toBe(sent.length);
    expect(sampleSum(families, 'switchyard_log_queue_depth')).toBe(0);
    expect(families.get('switchyard_requests_in_flight')?.type).toBe('gauge');
    expect(families.get('switchyard_request_duration_seconds')?.type).toBe('histogram');
    expect(families.has('switchyard_process_cpu_seconds_total')).toBe(true);
  });

  it('shows a provider queue and an open circuit while they last', async () => {
    const scrape = async () => parsePrometheusText(await (await fetch(`${gateway.url}/metrics`)).text());
    const ask = (model: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: `narrow/${model}`, messages: [{ role: 'user', content: 'queue' }] }),
      });
    // The first request holds narrow's only slot (its upstream waits on the gate); the second queues.
    const held = [ask('gpt-gated'), ask('gpt-gated')];
    await expect
      .poll(async () => sampleValue(await scrape(), 'switchyard_router_queue_depth', { provider: 'narrow' }), { interval: 20 })
      .toBe(1);
    // Attempts count as upstream requests in flight from their start, the queued one too (docs/metrics.md).
    expect(sampleValue(await scrape(), 'switchyard_upstream_requests_in_flight', { provider: 'narrow' })).toBe(2);
    releaseGate();
    for (const response of await Promise.all(held)) {
      expect(response.status).toBe(200);
      await response.text();
    }
    // Two failures in a row open narrow/gpt-broken's breaker; the provider's stays closed.
    for (let index = 0; index < 2; index++) {
      const failed = await ask('gpt-broken');
      expect(failed.status).toBe(500);
      await failed.text();
    }
    const families = await scrape();
    expect(sampleValue(families, 'switchyard_router_queue_depth', { provider: 'narrow' })).toBe(0);
    expect(sampleValue(families, 'switchyard_circuit_state', { provider: 'narrow', target: 'gpt-broken' })).toBe(2);
    expect(sampleValue(families, 'switchyard_circuit_state', { provider: 'narrow', target: 'gpt-gated' })).toBe(0);
    expect(sampleValue(families, 'switchyard_circuit_state', { provider: 'narrow', target: '' })).toBe(0);
  });

  it('streams new records to a live tail', async () => {
    const controller = new AbortController();
    const tail = await fetch(`${gateway.url}/api/logs/tail?model=gpt-4o-mini`, {
      headers: { authorization: `Bearer ${ADMIN}` },
      signal: controller.signal,
    });
    expect(tail.headers.get('content-type')).toBe('text/event-stream');
    expect(tail.headers.get('x-switchyard-processing-ms')).toMatch(/^\d+\.\d{3}$/);
    const reader = tail.body!.getReader();
    const { response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'tail me' }] })
      .withResponse();
    const id = response.headers.get('x-request-id');
    let text = '';
    while (!text.includes('event: log')) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    const data = /data: (.*)\n/.exec(text)![1]!;
    expect((JSON.parse(data) as ApiRecord).requestId).toBe(id);
    controller.abort();
  });

  it('keeps the warnings of a request the provider could not honour exactly in its log record', async () => {
    // OpenAI has no top_k: the gateway leaves it out and says so, streamed or not.
    const ids: string[] = [];
    for (const stream of [false, true]) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'warn me' }], top_k: 5, stream }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-switchyard-warnings')).toBe('unsupported-parameter(top_k)');
      await response.text();
      ids.push(response.headers.get('x-request-id')!);
    }
    expect((upstream.requests.at(-1)!.json as { top_k?: number }).top_k).toBeUndefined();
    await drained();
    for (const id of ids) {
      const record = (await (await admin(`/api/logs/${id}`)).json()) as ApiRecord;
      expect(record.warnings).toEqual([
        { code: 'unsupported-parameter', param: 'top_k', message: expect.stringContaining('top_k is not supported') },
      ]);
    }
    const listed = (await (await admin('/api/logs?limit=100')).json()) as { data: ApiRecord[] };
    const byId = new Map(listed.data.map((record) => [record.requestId, record]));
    expect(ids.map((id) => byId.get(id)!.warnings.map((warning) => warning.param))).toEqual([['top_k'], ['top_k']]);
    // A request without a lossy parameter has none.
    expect(byId.get(sent[0]!)!.warnings).toEqual([]);
  });
});

describe('request log filters over HTTP', () => {
  const ALPHA = 'sk-sy-alpha-0123456789abcdef0123';
  const BETA = 'sk-sy-beta-0123456789abcdef01234';
  const SLOW_MS = 500;
  let upstream: MockUpstream;
  let gateway: TestGateway;
  /** Request ids by what was sent: [virtual key, provider, phase]. */
  const sent: Array<{ id: string; key: 'alpha' | 'beta'; provider: 'openai' | 'backup'; phase: 1 | 2 }> = [];
  let boundary = 0;

  const admin = async (path: string): Promise<Response> =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const list = async (query: string): Promise<ApiRecord[]> => {
    const response = await admin(`/api/logs?limit=100&${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: ApiRecord[] }).data;
  };
  const idsOf = (records: ApiRecord[]) => records.map((record) => record.requestId).sort();
  const idsWhere = (keep: (entry: (typeof sent)[number]) => boolean) =>
    sent
      .filter(keep)
      .map((entry) => entry.id)
      .sort();

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', (request) =>
      fixtureReply('openai-chat/text.json', (request.json as { model?: string }).model === 'gpt-slow' ? { delayMs: SLOW_MS } : {}),
    );
    gateway = await startTestGateway(
      {
        providers: {
          openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] },
          backup: { type: 'openai-compatible', baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-backup' }] },
        },
        virtualKeys: [
          { name: 'alpha', value: ALPHA },
          { name: 'beta', value: BETA },
        ],
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
    const send = async (key: 'alpha' | 'beta', provider: 'openai' | 'backup', phase: 1 | 2): Promise<void> => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key === 'alpha' ? ALPHA : BETA}` },
        body: JSON.stringify({
          model: provider === 'openai' ? 'openai/gpt-4o-mini' : 'backup/gpt-slow',
          messages: [{ role: 'user', content: 'filter me' }],
        }),
      });
      expect(response.status).toBe(200);
      await response.text();
      sent.push({ id: response.headers.get('x-request-id')!, key, provider, phase });
    };
    await send('alpha', 'openai', 1);
    await send('alpha', 'openai', 1);
    await send('beta', 'backup', 1);
    // Every request of phase 1 arrived before the boundary, every one of phase 2 after it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    boundary = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await send('beta', 'openai', 2);
    await send('alpha', 'backup', 2);
    await logsSettled(gateway);
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
  });

  it('filters by provider and by virtual key, alone and together', async () => {
    expect(idsOf(await list(''))).toEqual(idsWhere(() => true));
    expect(idsOf(await list('provider=backup'))).toEqual(idsWhere((entry) => entry.provider === 'backup'));
    expect(idsOf(await list('provider=openai'))).toEqual(idsWhere((entry) => entry.provider === 'openai'));
    expect(await list('provider=nobody')).toEqual([]);
    const alpha = await list('key=alpha');
    expect(idsOf(alpha)).toEqual(idsWhere((entry) => entry.key === 'alpha'));
    for (const record of alpha) expect(record.principal.virtualKey).toBe('alpha');
    expect(idsOf(await list('key=beta'))).toEqual(idsWhere((entry) => entry.key === 'beta'));
    expect(idsOf(await list('key=alpha&provider=backup'))).toEqual(idsWhere((entry) => entry.key === 'alpha' && entry.provider === 'backup'));
  });

  it('filters by minimum latency', async () => {
    const all = await list('');
    const slow = await list(`minLatencyMs=${SLOW_MS}`);
    // Exactly the records whose total time reaches the bound: both slow upstream answers, and
    // (barring a stall of half a second) none of the fast ones.
    expect(idsOf(slow)).toEqual(idsOf(all.filter((record) => record.timing.totalMs >= SLOW_MS)));
    expect(idsOf(slow)).toEqual(expect.arrayContaining(idsWhere((entry) => entry.provider === 'backup')));
    expect(slow.length).toBeLessThan(all.length);
    expect((await admin('/api/logs?minLatencyMs=-1')).status).toBe(400);
  });

  it('filters by time range: from inclusive, to exclusive, epoch milliseconds or ISO 8601', async () => {
    const phase1 = idsWhere((entry) => entry.phase === 1);
    const phase2 = idsWhere((entry) => entry.phase === 2);
    expect(idsOf(await list(`from=${boundary}`))).toEqual(phase2);
    expect(idsOf(await list(`to=${boundary}`))).toEqual(phase1);
    expect(idsOf(await list(`from=${encodeURIComponent(new Date(boundary).toISOString())}`))).toEqual(phase2);
    const all = await list('');
    const first = Math.min(...all.map((record) => record.startedAt));
    const last = Math.max(...all.map((record) => record.startedAt));
    // from is inclusive: the first record's own start time keeps it; to is exclusive: the last
    // record's start time leaves it out.
    expect(await list(`from=${first}&to=${boundary}`)).toHaveLength(phase1.length);
    expect(idsOf(await list(`to=${last}`))).not.toContain(all.find((record) => record.startedAt === last)!.requestId);
    expect(await list(`from=${last + 1}`)).toEqual([]);
    expect((await admin('/api/logs?from=yesterday-ish')).status).toBe(400);
  });

  it('aggregates by virtual key, with the filters applied', async () => {
    const grouped = async (query: string) => {
      const response = await admin(`/api/logs/aggregate?groupBy=key${query}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { groupBy: string; data: Array<{ group: string | null; requests: number; errors: number }> };
      expect(body.groupBy).toBe('key');
      return Object.fromEntries(body.data.map((row) => [row.group, row.requests]));
    };
    expect(await grouped('')).toEqual({ alpha: 3, beta: 2 });
    expect(await grouped('&provider=backup')).toEqual({ alpha: 1, beta: 1 });
    expect(await grouped(`&from=${boundary}`)).toEqual({ alpha: 1, beta: 1 });
    expect((await admin('/api/logs/aggregate?groupBy=apiKey')).status).toBe(400);
  });
});

describe('metrics endpoint with a scrape token', () => {
  it('answers 401 without the token and the metrics with it', async () => {
    const gateway = await startTestGateway(
      { providers: {}, observability: { metrics: { token: 'env.SCRAPE_TOKEN', path: '/internal/metrics' } } },
      { env: { SCRAPE_TOKEN: 'scrape-secret' } },
    );
    try {
      expect((await fetch(`${gateway.url}/internal/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${gateway.url}/internal/metrics`, { headers: { authorization: 'Bearer wrong' } }))
          .status,
      ).toBe(401);
      const response = await fetch(`${gateway.url}/internal/metrics`, {
        headers: { authorization: 'Bearer scrape-secret' },
      });
      expect(response.status).toBe(200);
      expect(parsePrometheusText(await response.text()).has('switchyard_requests_in_flight')).toBe(true);
      expect((await fetch(`${gateway.url}/metrics`)).status).toBe(404);
    } finally {
      await gateway.close();
    }
  });
});
