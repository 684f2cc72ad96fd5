import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFixture } from './fixtures.js';
import { freePort } from './free-port.js';

/**
 * How a rate-limited answer says when to come back:
 *  - retry-after: seconds (`retry-after: 1`)
 *  - retry-after-date: an HTTP date (`retry-after: Wed, 21 Oct 2015 07:28:00 GMT`)
 *  - retry-after-ms: milliseconds (`retry-after-ms: 300`, OpenAI and Azure)
 *  - openai-reset: `x-ratelimit-remaining-requests: 0` + `x-ratelimit-reset-requests: 1s200ms`
 *  - anthropic-reset: `anthropic-ratelimit-requests-remaining: 0` + `...-requests-reset: <RFC 3339>`
 *  - none: no hint at all
 */
export type ResetHeader = 'retry-after' | 'retry-after-date' | 'retry-after-ms' | 'openai-reset' | 'anthropic-reset' | 'none';

/** One scripted upstream behaviour. Successful answers replay recorded OpenAI fixtures. */
export type Fault =
  /** A normal answer: openai-chat/text.json, or openai-chat/stream-text.sse for streams. */
  | { type: 'ok'; delayMs?: number; chunkDelayMs?: number }
  /** An HTTP error status (500, 502, 503, 529, 400, 404, 422, ...) with an OpenAI error body. */
  | { type: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** 429 with one kind of reset hint. */
  | { type: 'rate-limit'; reset: ResetHeader; resetMs?: number }
  /** 401 invalid_api_key (the recorded OpenAI answer). */
  | { type: 'refuse-key' }
  /** 403: the key is valid but may not do this (OpenAI's answer to a project without access to a model). */
  | { type: 'forbid-key' }
  /** Destroy the connection without answering (ECONNRESET / socket hang up). */
  | { type: 'reset' }
  /** Accept and never answer (timeouts). */
  | { type: 'hang' }
  /** Answer normally after a delay before the headers. */
  | { type: 'slow-first-byte'; delayMs: number }
  /** Stream: headers and the role-only chunk at once, then nothing for delayMs, then the rest. */
  | { type: 'slow-first-token'; delayMs: number }
  /** Stream: send N events (and half of the next when midEvent), then destroy the socket. */
  | { type: 'stream-dies'; afterEvents: number; midEvent?: boolean }
  /** Stream: send N events, then go silent without closing (idle timeout). */
  | { type: 'stream-stalls'; afterEvents: number }
  /** Stream: send N events, then an OpenAI-style error event, then end. */
  | { type: 'stream-error-event'; afterEvents: number }
  /** 200 whose body (or, for streams, first content event) is not valid JSON. */
  | { type: 'malformed-json' };

export interface FaultRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The Authorization header's bearer token, if any. */
  key: string | undefined;
  json: Record<string, unknown> | undefined;
  stream: boolean;
  /** performance.now() when the request arrived. */
  at: number;
  /** What the upstream did. */
  fault: Fault['type'];
  /** The client went away before the answer ended (a cancelled hedge, a timed-out attempt). */
  aborted: boolean;
}

export type FaultChooser = (request: FaultRequest) => Fault;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Split an SSE body into its events (each with its blank-line terminator). */
function sseEvents(body: string): string[] {
  return body.split(/(?<=\n\n)/).filter((event) => event.trim() !== '');
}

const STREAM = sseEvents(readFixture('openai-chat/stream-text.sse').toString('utf8'));
const TEXT = readFixture('openai-chat/text.json');
const REFUSED = readFixture('openai-chat/error-401-invalid-api-key.json');
const RATE_LIMITED = readFixture('openrouter/error-429-upstream-rate-limited.json');
/** Shaped like OpenAI's 403 for a project key without access to a model (status 403, code model_not_found). */
const FORBIDDEN = JSON.stringify({
  error: { message: 'Project `proj_fault` does not have access to model `gpt-4o-mini`', type: 'invalid_request_error', param: null, code: 'model_not_found' },
});

function serverErrorBody(status: number): string {
  const message =
    status === 529 ? 'Overloaded' : status === 503 ? 'The engine is currently overloaded, please try again later.' : 'The server had an error while processing your request. Sorry about that!';
  return JSON.stringify({ error: { message, type: status === 529 ? 'overloaded_error' : 'server_error', param: null, code: null } });
}

function clientErrorBody(status: number): string {
  const type = status === 404 ? 'invalid_request_error' : 'invalid_request_error';
  const code = status === 404 ? 'model_not_found' : status === 422 ? 'unprocessable_entity' : 'invalid_value';
  return JSON.stringify({ error: { message: `fault upstream: HTTP ${status}`, type, param: null, code } });
}

/** Rate-limit headers of each kind, saying "come back in `ms`". */
export function resetHeaders(kind: ResetHeader, ms: number, now = Date.now()): Record<string, string> {
  switch (kind) {
    case 'retry-after':
      return { 'retry-after': String(Math.ceil(ms / 1000)) };
    case 'retry-after-date':
      return { 'retry-after': new Date(now + ms).toUTCString() };
    case 'retry-after-ms':
      return { 'retry-after-ms': String(ms) };
    case 'openai-reset': {
      const seconds = Math.floor(ms / 1000);
      return {
        'x-ratelimit-limit-requests': '10000',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': `${seconds > 0 ? `${seconds}s` : ''}${ms % 1000 > 0 ? `${ms % 1000}ms` : ''}` || '0s',
        'x-ratelimit-limit-tokens': '30000000',
        'x-ratelimit-remaining-tokens': '29997985',
        'x-ratelimit-reset-tokens': '4ms',
      };
    }
    case 'anthropic-reset':
      return {
        'anthropic-ratelimit-requests-limit': '5',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': new Date(now + ms).toISOString(),
      };
    case 'none':
      return {};
  }
}

/**
 * A loopback upstream speaking the OpenAI chat dialect that fails on command: error statuses,
 * 429s with every kind of reset header, refused (401) and forbidden (403) keys, resets, hangs, slow first bytes and first
 * tokens, streams that die, stall or send an error event after N events, and malformed JSON.
 * Faults are taken from a queue (`next(...)`) and then from the default (`always(...)`), which
 * may be a function of the request (per key, per model). Every request is recorded.
 */
export class FaultUpstream {
  readonly requests: FaultRequest[] = [];
  private queue: Fault[] = [];
  private chooser: FaultChooser = () => ({ type: 'ok' });
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  /** A base URL where nothing listens (connection refused). */
  static async refusedUrl(): Promise<string> {
    return `http://127.0.0.1:${await freePort()}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.keepAliveTimeout = 60_000;
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

  /** The provider base URL (with /v1). */
  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (address === undefined) throw new Error('fault upstream not started');
    return `http://127.0.0.1:${address.port}/v1`;
  }

  /** The next requests get these faults, in order. */
  next(...faults: Fault[]): this {
    this.queue.push(...faults);
    return this;
  }

  /** Every request after the queue gets this fault (or the fault this function picks). */
  always(fault: Fault | FaultChooser): this {
    this.chooser = typeof fault === 'function' ? fault : () => fault;
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.queue = [];
    this.chooser = () => ({ type: 'ok' });
  }

  /** Requests answered with the given fault type (all when omitted). */
  count(type?: Fault['type']): number {
    return type === undefined ? this.requests.length : this.requests.filter((request) => request.fault === type).length;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    const authorization = request.headers.authorization;
    const recorded: FaultRequest = {
      method: request.method ?? 'GET',
      path: (request.url ?? '/').split('?')[0]!,
      headers: request.headers,
      key: typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7) : undefined,
      json,
      stream: json?.stream === true,
      at: performance.now(),
      fault: 'ok',
      aborted: false,
    };
    const fault = this.queue.shift() ?? this.chooser(recorded);
    recorded.fault = fault.type;
    this.requests.push(recorded);
    let finished = false;
    response.on('close', () => {
      if (!finished) recorded.aborted = true;
    });
    await this.answer(fault, recorded, request, response);
    finished = response.writableFinished;
  }

  private async answer(fault: Fault, recorded: FaultRequest, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const json = (status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(body);
    };
    switch (fault.type) {
      case 'ok':
        if (fault.delayMs) await sleep(fault.delayMs);
        return this.success(recorded, response, fault.chunkDelayMs ?? 0);
      case 'slow-first-byte':
        await sleep(fault.delayMs);
        return this.success(recorded, response, 0);
      case 'status':
        return json(fault.status, fault.body ?? (fault.status >= 500 ? serverErrorBody(fault.status) : clientErrorBody(fault.status)), fault.headers);
      case 'rate-limit':
        return json(429, RATE_LIMITED, resetHeaders(fault.reset, fault.resetMs ?? 1000));
      case 'refuse-key':
        return json(401, REFUSED);
      case 'forbid-key':
        return json(403, FORBIDDEN);
      case 'reset':
        request.socket.destroy();
        return;
      case 'hang':
        return;
      case 'malformed-json':
        if (!recorded.stream) return json(200, '{"id": "chatcmpl-broken", "choices": [{"index": 0, "message": {"role": "assist');
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(STREAM[0]!);
        response.end('data: {"id":"chatcmpl-broken","choices":[{"delta":{"content":"Hel\n\n');
        return;
      case 'slow-first-token':
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(STREAM[0]!);
        await sleep(fault.delayMs);
        if (response.destroyed) return;
        response.end(STREAM.slice(1).join(''));
        return;
      case 'stream-dies':
      case 'stream-stalls':
      case 'stream-error-event': {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const event of STREAM.slice(0, fault.afterEvents)) response.write(event);
        if (fault.type === 'stream-dies') {
          const nextEvent = STREAM[fault.afterEvents];
          if (fault.midEvent === true && nextEvent !== undefined) response.write(nextEvent.slice(0, Math.floor(nextEvent.length / 2)));
          await sleep(10);
          request.socket.destroy();
        } else if (fault.type === 'stream-error-event') {
          response.end(`data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', code: 'server_error' } })}\n\n`);
        }
        return;
      }
    }
  }

  private async success(recorded: FaultRequest, response: ServerResponse, chunkDelayMs: number): Promise<void> {
    if (!recorded.stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(TEXT);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    if (chunkDelayMs <= 0) {
      response.end(STREAM.join(''));
      return;
    }
    for (const event of STREAM) {
      if (response.destroyed) return;
      response.write(event);
      await sleep(chunkDelayMs);
    }
    response.end();
  }
}
