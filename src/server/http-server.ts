import { channel } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Surface } from '../api/surface.js';
import { GatewayError } from '../core/index.js';
import { RequestContext } from '../pipeline/request-context.js';
import { createRequestRecord, type RequestRecord } from '../pipeline/request-record.js';
import { priceRequest } from '../pipeline/cost.js';
import { attemptsHeader } from '../pipeline/gateway-headers.js';
import { sendError } from '../pipeline/respond.js';
import type { GatewayRuntime } from '../pipeline/runtime.js';
import { acceptPriorKnowledgeH2c } from './h2c.js';
import { requestIdFor } from './request-id.js';
import type { RouteTable } from './route-table.js';

/** How long requests cut at the shutdown deadline get to record themselves. */
const CUT_REQUEST_GRACE_MS = 1000;

/** Published once per completed request; free when nobody subscribes. */
export const requestCompleteChannel = channel('switchyard:request:complete');

export interface HttpServerOptions {
  /** The surface whose error format answers unknown paths, by path prefix. */
  fallbackSurface(path: string): Surface;
}

export interface GatewayServer {
  server: Server;
  /** Requests being handled right now. */
  readonly inflight: number;
  /** Stop accepting, let in-flight requests finish up to the deadline, then cut the rest. */
  shutdown(deadlineMs: number): Promise<{ drained: boolean }>;
}

function finishRequest(runtime: GatewayRuntime, context: RequestContext, recorded: boolean): void {
  context.markFinished();
  const record = context.record;
  const now = performance.now();
  record.timing.totalMs = now - record.start;
  record.timing.overheadMs = Math.max(0, record.timing.totalMs - record.timing.upstreamMs);
  if (record.clientAborted && !context.response.writableFinished) record.status = 499;
  if (!recorded) return;
  priceRequest(runtime, record);
  for (const hook of runtime.hooks.complete) {
    try {
      hook(record, context);
    } catch (error) {
      runtime.logger.error({ err: error, requestId: record.id }, 'completion hook failed');
    }
  }
  if (requestCompleteChannel.hasSubscribers) requestCompleteChannel.publish(record);
  if (runtime.config.logging.requests) logAccess(runtime, record);
}

function logAccess(runtime: GatewayRuntime, record: RequestRecord): void {
  const level = record.status >= 500 ? 'warn' : 'info';
  runtime.logger[level](
    {
      requestId: record.id,
      surface: record.surface,
      path: record.path,
      status: record.status,
      model: record.modelRequested,
      provider: record.provider,
      upstreamModel: record.model,
      stream: record.stream,
      passthrough: record.passthrough,
      attempts: record.attempts.length,
      // Every attempt with its provider, key name, status, latency and reason, when there was more than one.
      ...(record.attempts.length > 1 ? { attemptLog: attemptsHeader(record) } : {}),
      inputTokens: record.usage?.inputTokens,
      outputTokens: record.usage?.outputTokens,
      totalMs: Math.round((record.timing.totalMs ?? 0) * 1000) / 1000,
      overheadMs: Math.round((record.timing.overheadMs ?? 0) * 1000) / 1000,
      ...(record.errorCode === undefined ? {} : { error: record.errorCode }),
      ...(record.warnings.length === 0 ? {} : { warnings: record.warnings.map((warning) => warning.code) }),
    },
    'request',
  );
}

/** The node:http server: routing, request lifecycle, client disconnects and graceful shutdown. */
export function createGatewayServer(runtime: GatewayRuntime, routes: RouteTable, options: HttpServerOptions): GatewayServer {
  let inflight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const match = routes.match(request.method ?? 'GET', path);
    const id = requestIdFor(request);
    if (draining) response.setHeader('connection', 'close');
    if (match === undefined || !('route' in match)) {
      const surface = options.fallbackSurface(path);
      const record = createRequestRecord(id, surface.name, 'other', path);
      const context = new RequestContext(record, request, response, surface, runtime.hooks);
      const error =
        match === undefined
          ? new GatewayError({ code: 'not_found', status: 404, message: `Unknown endpoint: ${request.method} ${path}` })
          : new GatewayError({
              code: 'method_not_allowed',
              status: 405,
              message: `Method ${request.method} is not allowed on ${path} (allowed: ${match.allowed.join(', ')})`,
              headers: { allow: match.allowed.join(', ') },
            });
      request.resume();
      sendError(runtime, context, surface, error);
      return;
    }
    const { route, params } = match;
    const record = createRequestRecord(id, route.surface.name, route.operation, path);
    const context = new RequestContext(record, request, response, route.surface, runtime.hooks);
    inflight++;
    const recorded = route.recorded !== false;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      finishRequest(runtime, context, recorded);
      inflight--;
      if (inflight === 0 && onIdle !== undefined) onIdle();
    };
    response.once('close', () => {
      if (!response.writableFinished) context.clientGone();
    });
    const info = {
      headers: request.headers,
      params,
      query: queryStart === -1 ? undefined : new URLSearchParams(url.slice(queryStart + 1)),
    };
    let result: void | Promise<void>;
    try {
      result = route.handler(runtime, context, info);
    } catch (error) {
      sendError(runtime, context, route.surface, error);
      settle();
      return;
    }
    if (result === undefined) {
      settle();
      return;
    }
    result.then(settle, (error: unknown) => {
      sendError(runtime, context, route.surface, error);
      settle();
    });
  };

  const server = createServer(
    {
      keepAliveTimeout: runtime.config.server.keepAliveTimeout,
      // Bodies are size-checked by the pipeline; headers keep Node's defaults.
      requestTimeout: 0,
    },
    handle,
  );
  // HTTP/2 cleartext on the same port, for SDKs that only speak HTTP/2 (the AWS SDK v3).
  const h2c = acceptPriorKnowledgeH2c(server, handle, runtime.config.server.keepAliveTimeout);
  server.on('clientError', (error, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ error: { message: `Bad request: ${error.message}`, type: 'invalid_request_error', param: null, code: 'bad_request' } });
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  return {
    server,
    get inflight() {
      return inflight;
    },
    async shutdown(deadlineMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      h2c.close();
      const idle =
        inflight === 0
          ? Promise.resolve(true)
          : new Promise<boolean>((resolve) => {
              onIdle = () => resolve(true);
            });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), deadlineMs);
        timer.unref();
      });
      // Keep-alive sockets that finish a response become idle: close them as they do.
      const sweeper = setInterval(() => server.closeIdleConnections(), 100);
      sweeper.unref();
      const drained = await Promise.race([idle, deadline]);
      clearInterval(sweeper);
      clearTimeout(timer);
      server.closeAllConnections();
      h2c.destroy();
      // Requests cut here still finish their bookkeeping (log record, spend) once the abort
      // reaches them, a few milliseconds later: let them, before the caller closes the modules
      // that record it (bounded, in case one does not stop).
      if (!drained && inflight > 0) {
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([idle, new Promise<void>((resolve) => (grace = setTimeout(resolve, CUT_REQUEST_GRACE_MS)))]);
        clearTimeout(grace);
      }
      await closed;
      return { drained };
    },
  };
}
