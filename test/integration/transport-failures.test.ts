import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../helpers/fixtures.js';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { MockUpstream } from '../helpers/mock-upstream.js';

/*
 * Transport failures become canonical errors in the client's format: a provider that does not
 * answer in time (first-byte timeout), one that goes silent mid-stream (idle timeout), one
 * whose port is closed, one that resets the connection, and one that sends invalid JSON.
 */

let upstream: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await new MockUpstream().start();
  const stream = readFixture('openai-chat/stream-text.sse');
  upstream.on('POST', '/hang/v1/chat/completions', { hang: true });
  upstream.on('POST', '/reset/v1/chat/completions', { reset: true });
  upstream.on('POST', '/garbage/v1/chat/completions', { status: 200, body: '{"choices": [ this is not json' });
  // Half the stream, then silence (the connection stays open).
  upstream.on('POST', '/stall/v1/chat/completions', () => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: stream.subarray(0, 2000), hang: false, chunkSize: 2000, chunkDelayMs: 5000 }));
  const closedPort = await freePort();
  const timeouts = { connect: '2s', firstByte: '300ms', idle: '400ms' };
  gateway = await startTestGateway({
    providers: {
      hang: { type: 'openai-compatible', baseUrl: `${upstream.url}/hang/v1`, timeouts },
      reset: { type: 'openai-compatible', baseUrl: `${upstream.url}/reset/v1`, timeouts },
      garbage: { type: 'openai-compatible', baseUrl: `${upstream.url}/garbage/v1`, timeouts, passthrough: false },
      stall: { type: 'openai-compatible', baseUrl: `${upstream.url}/stall/v1`, timeouts },
      closed: { type: 'openai-compatible', baseUrl: `http://127.0.0.1:${closedPort}/v1`, timeouts },
    },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.stop();
});

async function failure(model: string): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe('transport failures', () => {
  it('a provider that does not answer in time is a 504 upstream_timeout', async () => {
    const error = await failure('hang/m');
    expect(error.status).toBe(504);
    expect(error.code).toBe('upstream_timeout');
  });

  it('a closed port is a 502 upstream_unreachable', async () => {
    const error = await failure('closed/m');
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_unreachable');
  });

  it('a reset connection is a 502 upstream_unreachable', async () => {
    const error = await failure('reset/m');
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_unreachable');
  });

  it('invalid JSON from the provider is a 502 upstream_bad_response', async () => {
    const error = await failure('garbage/m');
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_bad_response');
  });

  it('a stream that goes silent ends with an error event after the idle timeout', async () => {
    const stream = await client.chat.completions.create({ model: 'stall/m', messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/idle timeout/);
  });
});
