import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';

/*
 * Backpressure end to end: a fast upstream streams a large SSE body while the client stops
 * reading. If the gateway buffered instead of pausing, the upstream would get everything out
 * during the pause; with backpressure it can only fill the socket buffers along the way.
 */

const EVENTS = 50_000;
const PADDING = 'x'.repeat(2000);
const event = (index: number) =>
  `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"token ${index} ${PADDING}"},"finish_reason":null}]}\n\n`;
const total = Array.from({ length: EVENTS }, (_, index) => Buffer.byteLength(event(index))).reduce((a, b) => a + b, 0);

let upstream: Server;
let written = 0;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      written = 0;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let index = 0;
      const pump = (): void => {
        while (index < EVENTS) {
          const chunk = event(index++);
          written += Buffer.byteLength(chunk);
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.write('data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
        response.end();
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  gateway = await startTestGateway({
    providers: {
      fast: { type: 'openai-compatible', baseUrl: url },
      canonical: { type: 'openai-compatible', baseUrl: url, passthrough: false },
    },
  });
});

afterAll(async () => {
  await gateway?.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

function pausedClient(model: string): Promise<{ duringPause: number; received: number }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let received = 0;
      let duringPause = 0;
      response.once('data', (chunk: Buffer) => {
        received += chunk.length;
        response.pause();
        setTimeout(() => {
          duringPause = written;
          response.on('data', (more: Buffer) => (received += more.length));
          response.resume();
        }, 1500);
      });
      response.on('end', () => resolve({ duringPause, received }));
      response.on('error', reject);
    });
    request.end(JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }], stream: true }));
  });
}

describe('backpressure', () => {
  it.each([['fast/m', 'passthrough'], ['canonical/m', 'canonical']])('a paused client pauses the upstream (%s, %s path)', async (model) => {
    const { duringPause, received } = await pausedClient(model);
    // Only kernel socket buffers on the two loopback hops (tens of MB at most with Linux
    // autotuning) may fill while the client is paused; buffering in the gateway would let the
    // upstream send everything.
    expect(duringPause).toBeLessThan(total / 2);
    expect(duringPause).toBeGreaterThan(0);
    // And nothing is lost once it reads again.
    expect(received).toBeGreaterThan(total * 0.9);
  });
});
