import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { logsSettled } from '../../helpers/request-log.js';
import { parsePrometheusText, sampleSum } from '../../helpers/prometheus-text.js';

const ADMIN = 'admin-test-key';

interface ApiRecord {
  logId: string;
  requestId: string;
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
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  const admin = (path: string): Promise<Response> =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const drained = (): Promise<void> => logsSettled(gateway);

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', (request) => {
      const body = request.json as { stream?: boolean; model?: string };
      if (body.model === 'gpt-broken')
        return { status: 500, body: JSON.stringify({ error: { message: 'boom', type: 'server_error' } }) };
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
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('x-switchyard-processing-ms')).toMatch(/^\d+\.\d{3}$/);

    const families = parsePrometheusText(await response.text());
    expect(sampleSum(families, 'switchyard_requests_total')).toBe(sent.length);
    expect(sampleSum(families, 'switchyard_requests_total', { status: '200' })).toBe(7);
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
    expect(sampleSum(families, 'switchyard_upstream_attempts_total')).toBe(sent.length + 1);
    expect(
      sampleSum(families, 'switchyard_upstream_attempts_total', { outcome: 'error', status: '500' }),
    ).toBe(2);
    expect(sampleSum(families, 'switchyard_upstream_requests_in_flight')).toBe(0);
    expect(sampleSum(families, 'switchyard_request_errors_total', { error_class: 'upstream' })).toBe(1);
    expect(sampleSum(families, 'switchyard_cost_usd_total')).toBeGreaterThan(0);
    expect(sampleSum(families, 'switchyard_log_records_written_total')).toBe(sent.length);
    expect(sampleSum(families, 'switchyard_log_queue_depth')).toBe(0);
    expect(families.get('switchyard_requests_in_flight')?.type).toBe('gauge');
    expect(families.get('switchyard_request_duration_seconds')?.type).toBe('histogram');
    expect(families.has('switchyard_process_cpu_seconds_total')).toBe(true);
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
