import http2 from 'node:http2';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';

interface H2Answer {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

function h2Request(session: http2.ClientHttp2Session, path: string, body?: string, method = 'POST'): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': method, ':path': path, 'content-type': 'application/json' });
    let headers: http2.IncomingHttpHeaders = {};
    let text = '';
    stream.on('response', (received) => (headers = received));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve({ status: Number(headers[':status']), headers, body: text }));
    stream.on('error', reject);
    stream.end(body);
  });
}

describe('HTTP/2 cleartext (prior knowledge) next to HTTP/1.1', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v1/chat/completions', (recorded) =>
      (recorded.json as { stream?: boolean }).stream
        ? fixtureReply('openai-chat/stream-text.sse', { chunkSize: 9, randomChunks: true })
        : fixtureReply('openai-chat/text.json'),
    );
    gateway = await startTestGateway({ providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-test' }] } } });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it('still serves HTTP/1.1', async () => {
    const answer = await request(`${gateway.url}/health`);
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.json()).toMatchObject({ status: 'ok' });
  });

  it('serves requests and streams over h2c on the same port, several per session', async () => {
    const session = http2.connect(gateway.url);
    try {
      const health = await h2Request(session, '/health', undefined, 'GET');
      expect(health.status).toBe(200);
      const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      const [plain, streamed] = await Promise.all([
        h2Request(session, '/v1/chat/completions', body),
        h2Request(session, '/v1/chat/completions', JSON.stringify({ ...JSON.parse(body), stream: true })),
      ]);
      expect(plain.status).toBe(200);
      expect(JSON.parse(plain.body).choices[0].message.content).toBeTypeOf('string');
      expect(plain.headers['x-switchyard-provider']).toBe('openai');
      expect(streamed.status).toBe(200);
      expect(streamed.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(streamed.body.trimEnd().endsWith('data: [DONE]')).toBe(true);
      const missing = await h2Request(session, '/v1/nothing-here', '{}');
      expect(missing.status).toBe(404);
    } finally {
      session.close();
    }
  });
});

describe('shutdown with HTTP/2 sessions and silent connections open', () => {
  it('closes them instead of waiting for their idle timeout', async () => {
    const gateway = await startTestGateway({ providers: {} });
    const { connect } = await import('node:net');
    const silent = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    await new Promise((resolve) => silent.once('connect', resolve));
    const session = http2.connect(gateway.url);
    await h2Request(session, '/health', undefined, 'GET');
    const closed = new Promise((resolve) => session.once('close', resolve));
    const silentClosed = new Promise((resolve) => silent.once('close', resolve));
    await gateway.close();
    await closed;
    await silentClosed;
    expect(session.closed || session.destroyed).toBe(true);
  }, 20_000);
});

describe('malformed openings', () => {
  it('survives a broken HTTP/2 preface, a half preface, and binary junk', async () => {
    const gateway = await startTestGateway({ providers: {} });
    const { connect } = await import('node:net');
    const port = Number(new URL(gateway.url).port);
    const send = (bytes: Buffer, end: boolean) =>
      new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(bytes);
          if (end) socket.end();
        });
        socket.on('data', () => undefined);
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        setTimeout(() => socket.destroy(), 300);
      });
    try {
      await send(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from('\u0000\u0000\u0004garbage-garbage')]), false);
      await send(Buffer.from('PRI * HT'), true);
      await send(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01]), true);
      const answer = await request(`${gateway.url}/health`);
      expect(answer.statusCode).toBe(200);
      await answer.body.text();
    } finally {
      await gateway.close();
    }
  });
});
