import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observabilityOf } from '../../../src/observability/observability-module.js';
import { parseTraceParent } from '../../../src/observability/tracing/traceparent.js';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';
import { logsSettled } from '../../helpers/request-log.js';
import { OtlpReceiver, spanAttribute, type OtlpSpan } from '../../helpers/otlp-receiver.js';

const ADMIN = 'admin-test-key';
const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

describe('OpenTelemetry tracing', () => {
  let upstream: MockUpstream;
  let receiver: OtlpReceiver;
  let gateway: TestGateway;

  /** Spans end in the completion hook, which may run just after the client has its answer. */
  async function exported(found: () => boolean): Promise<void> {
    const tracing = observabilityOf(gateway.gateway.runtime)!.tracing!;
    for (let tries = 0; tries < 200 && !found(); tries++) {
      await tracing.flush();
      if (!found()) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(found()).toBe(true);
  }

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', (request) => {
      const body = request.json as { stream?: boolean; model: string };
      if (body.model === 'gpt-broken')
        return {
          status: 503,
          body: JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }),
        };
      return body.stream
        ? fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 31 })
        : fixtureReply('openai-chat/text.json');
    });
    receiver = await new OtlpReceiver().start();
    gateway = await startTestGateway(
      {
        providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ name: 'main', value: 'sk-test' }], retry: { attempts: 0 } } },
        observability: {
          tracing: {
            enabled: true,
            endpoint: receiver.url,
            exportInterval: 50,
            headers: { 'x-otlp-key': 'k' },
          },
        },
      },
      { env: { SWITCHYARD_ADMIN_KEY: ADMIN } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await receiver?.stop();
    await upstream?.stop();
  });

  it('exports a server span (child of the client span) and a client span per attempt with GenAI attributes', async () => {
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'x',
      maxRetries: 0,
      defaultHeaders: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, tracestate: 'vendor=abc' },
    });
    const { response } = await client.chat.completions
      .create({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        temperature: 0.2,
        max_tokens: 50,
        fallbacks: ['openai/gpt-4o-mini'],
      } as never)
      .withResponse();
    const requestId = response.headers.get('x-request-id')!;
    const sentUpstream = upstream.requests.at(-1)!;
    const upstreamParent = parseTraceParent(sentUpstream.headers.traceparent)!;
    expect(upstreamParent.traceId).toBe(CLIENT_TRACE);
    expect(upstreamParent.spanId).not.toBe(CLIENT_SPAN);
    expect(sentUpstream.headers.tracestate).toBe('vendor=abc');

    await exported(() => receiver.spans.filter((span) => span.traceId === CLIENT_TRACE).length === 2);
    const spans = receiver.spans.filter((span) => span.traceId === CLIENT_TRACE);
    const server = spans.find((span) => span.kind === 2)!;
    const attempt = spans.find((span) => span.kind === 3)!;
    expect(server.parentSpanId).toBe(CLIENT_SPAN);
    expect(server.name).toBe('chat openai/gpt-4o-mini');
    expect(attempt.parentSpanId).toBe(server.spanId);
    expect(attempt.spanId).toBe(upstreamParent.spanId);
    expect(attempt.name).toBe('chat gpt-4o-mini');
    const expected = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 14,
      'gen_ai.usage.output_tokens': 37,
      'gen_ai.response.finish_reasons': ['stop'],
    };
    for (const span of [server, attempt])
      for (const [key, value] of Object.entries(expected)) expect(spanAttribute(span, key)).toEqual(value);
    expect(spanAttribute(server, 'gen_ai.request.model')).toBe('openai/gpt-4o-mini');
    expect(spanAttribute(attempt, 'gen_ai.request.model')).toBe('gpt-4o-mini');
    expect(spanAttribute(server, 'gen_ai.request.temperature')).toBe(0.2);
    expect(spanAttribute(server, 'gen_ai.request.max_tokens')).toBe(50);
    expect(spanAttribute(server, 'http.response.status_code')).toBe(200);
    expect(spanAttribute(server, 'switchyard.request_id')).toBe(requestId);
    expect(spanAttribute(attempt, 'server.address')).toBe('127.0.0.1');
    expect(Number(server.endTimeUnixNano)).toBeGreaterThan(Number(server.startTimeUnixNano));
    expect(receiver.headers.at(-1)!['x-otlp-key']).toBe('k');
    expect(JSON.stringify(receiver.resources)).toContain('"service.name"');

    await logsSettled(gateway);
    const record = (await (
      await fetch(`${gateway.url}/api/logs/${requestId}`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).json()) as { traceId: string };
    expect(record.traceId).toBe(CLIENT_TRACE);
  });

  it('starts a new trace without a traceparent, and marks failed attempts', async () => {
    const before = receiver.spans.length;
    const result = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-broken',
        fallbacks: ['openai/gpt-4o-mini'],
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    expect(result.status).toBe(200);
    await result.text();
    await exported(
      () => receiver.spans.slice(before).filter((span) => span.kind === 2 || span.kind === 3).length === 3,
    );
    const spans: OtlpSpan[] = receiver.spans.slice(before);
    const server = spans.find((span) => span.kind === 2)!;
    expect(server.parentSpanId ?? '').toBe('');
    const attempts = spans.filter((span) => span.kind === 3 && span.traceId === server.traceId);
    expect(attempts).toHaveLength(2);
    const failed = attempts.find((span) => spanAttribute(span, 'gen_ai.request.model') === 'gpt-broken')!;
    expect(failed.status?.code).toBe(2);
    expect(spanAttribute(failed, 'http.response.status_code')).toBe(503);
    expect(spanAttribute(failed, 'error.type')).toBe('upstream_overloaded');
    const answered = attempts.find((span) => span !== failed)!;
    expect(spanAttribute(answered, 'switchyard.attempt.reason')).toBe('fallback');
    expect(spanAttribute(answered, 'gen_ai.usage.output_tokens')).toBe(9);
    expect(
      upstream.requests.slice(-2).map((request) => parseTraceParent(request.headers.traceparent)?.traceId),
    ).toEqual([server.traceId, server.traceId]);
  });
});

describe('tracing off (the default)', () => {
  it('creates no tracer and sends no trace context upstream', async () => {
    const upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    const gateway = await startTestGateway({
      providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] } },
    });
    try {
      const parts = observabilityOf(gateway.gateway.runtime)!;
      expect(parts.tracing).toBeUndefined();
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(response.status).toBe(200);
      expect(upstream.requests.at(-1)!.headers.traceparent).toBeUndefined();
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  });
});
