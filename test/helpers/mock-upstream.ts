import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFixture } from './fixtures.js';

/** What the mock received. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Path with the query string, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

/** A scripted answer. */
export interface MockReply {
  status?: number;
  headers?: Record<string, string>;
  /** Body bytes; sent in `chunks` pieces when given. */
  body?: string | Buffer;
  /** Split the body into pieces of at most this many bytes, sent with `chunkDelayMs` between. */
  chunkSize?: number;
  /** Split at pseudo-random offsets (1..chunkSize bytes) instead of fixed sizes. */
  randomChunks?: boolean;
  chunkDelayMs?: number;
  /** Wait before sending headers. */
  delayMs?: number;
  /** Send only this many body bytes, then destroy the socket (a stream dying half-way). */
  dieAfterBytes?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export type MockHandler = (request: RecordedRequest) => MockReply | Promise<MockReply>;

/** Reply with a recorded fixture file: .sse files as event streams, others as JSON. */
export function fixtureReply(name: string, extra: Partial<MockReply> = {}): MockReply {
  const body = readFixture(name);
  const contentType = name.endsWith('.sse')
    ? 'text/event-stream'
    : name.endsWith('.eventstream')
      ? 'application/vnd.amazon.eventstream'
      : 'application/json';
  return { status: 200, headers: { 'content-type': contentType }, body, ...extra };
}

function split(body: Buffer, size: number, random: boolean, seed: number): Buffer[] {
  const pieces: Buffer[] = [];
  let state = seed || 7;
  let offset = 0;
  while (offset < body.length) {
    let length = size;
    if (random) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      length = 1 + (state % size);
    }
    pieces.push(body.subarray(offset, offset + length));
    offset += length;
  }
  return pieces;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A loopback HTTP server that plays a provider: routes map "METHOD /path" (or a function of the
 * request) to scripted replies, and every request is recorded for assertions.
 */
export class MockUpstream {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, MockHandler>();
  private fallback: MockHandler | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  /** Connections the mock saw closed by the other side before its reply ended. */
  abortedResponses = 0;
  private seed = 1;

  on(method: string, path: string, handler: MockHandler | MockReply): this {
    this.routes.set(`${method} ${path}`, typeof handler === 'function' ? handler : () => handler);
    return this;
  }

  otherwise(handler: MockHandler): this {
    this.fallback = handler;
    return this;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (address === undefined) throw new Error('mock upstream not started');
    return `http://127.0.0.1:${address.port}`;
  }

  count(method: string, path: string): number {
    return this.requests.filter((request) => request.method === method && request.path === path).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.abortedResponses = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = (request.url ?? '/').split('?')[0]!;
    let json: unknown;
    try {
      json = body === '' ? undefined : JSON.parse(body);
    } catch {
      json = undefined;
    }
    const recorded: RecordedRequest = { method: request.method ?? 'GET', path, url: request.url ?? '/', headers: request.headers, body, json };
    this.requests.push(recorded);
    const handler = this.routes.get(`${recorded.method} ${path}`) ?? this.fallback;
    const reply: MockReply = handler === undefined ? { status: 404, body: JSON.stringify({ error: { message: `mock: no route for ${recorded.method} ${path}` } }) } : await handler(recorded);
    let finished = false;
    response.on('close', () => {
      if (!finished) this.abortedResponses++;
    });
    if (reply.reset) {
      request.socket.destroy();
      return;
    }
    if (reply.hang) return;
    if (reply.delayMs) await sleep(reply.delayMs);
    const bodyBytes = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body);
    response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    const limit = reply.dieAfterBytes ?? Infinity;
    const pieces = reply.chunkSize ? split(bodyBytes, reply.chunkSize, reply.randomChunks ?? false, this.seed++) : [bodyBytes];
    let sent = 0;
    for (const piece of pieces) {
      if (response.destroyed) return;
      if (sent + piece.length > limit) {
        response.write(piece.subarray(0, limit - sent));
        await sleep(5);
        request.socket.destroy();
        return;
      }
      response.write(piece);
      sent += piece.length;
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    }
    if (limit !== Infinity && sent >= limit) {
      await sleep(5);
      request.socket.destroy();
      return;
    }
    finished = true;
    response.end();
  }
}
