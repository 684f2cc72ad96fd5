import { adminSurface } from '../../admin/admin-surface.js';
import { requireAdmin } from '../../admin/require-admin.js';
import { GatewayError } from '../../core/index.js';
import { gatewayHeaders } from '../../pipeline/gateway-headers.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import type { RouteHandler, RouteTable } from '../../server/route-table.js';
import { logRecordJson } from './log-record-json.js';
import { aggregateOptionsFrom, logFilterFrom, pageLimitFrom } from './log-query-params.js';
import type { RequestLog } from './request-log.js';

function storeUnavailable(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError({
    code: 'upstream_unreachable',
    status: 503,
    retryable: true,
    message: `The log store is unavailable: ${(error as Error).message}`,
    cause: error,
  });
}

/** An admin JSON route: admin credential, then the handler's value as JSON. */
function adminJson(handler: (...args: Parameters<RouteHandler>) => Promise<unknown>): RouteHandler {
  return async (runtime, context, info) => {
    try {
      requireAdmin(runtime, context);
      let body: unknown;
      try {
        body = await handler(runtime, context, info);
      } catch (error) {
        throw storeUnavailable(error);
      }
      sendBody(runtime, context, 200, JSON.stringify(body));
    } catch (error) {
      sendError(runtime, context, adminSurface, error);
    }
  };
}

/**
 * The request log query API (admin): GET /api/logs (filtered pages), /api/logs/aggregate,
 * /api/logs/pipeline (the write path's health), /api/logs/tail (live, server-sent events)
 * and /api/logs/:id (one record with its content).
 */
export function registerLogRoutes(routes: RouteTable, log: RequestLog): void {
  const base = { method: 'GET', surface: adminSurface, operation: 'other', recorded: false } as const;
  routes.add({
    ...base,
    path: '/api/logs',
    handler: adminJson(async (_runtime, _context, info) => {
      const filter = logFilterFrom(info.query);
      const limit = pageLimitFrom(info.query);
      await log.ready();
      const page = await log.store.list(filter, limit, info.query?.get('cursor') ?? undefined);
      return { data: page.rows.map((row) => logRecordJson(row, false)), nextCursor: page.nextCursor ?? null };
    }),
  });
  routes.add({
    ...base,
    path: '/api/logs/aggregate',
    handler: adminJson(async (_runtime, _context, info) => {
      const filter = logFilterFrom(info.query);
      const options = aggregateOptionsFrom(info.query);
      await log.ready();
      const rows = await log.store.aggregate(filter, options);
      return {
        groupBy: options.groupBy ?? null,
        bucketMs: options.bucketMs ?? null,
        data: rows.map((row) => ({
          ...row,
          bucket: options.bucketMs === undefined ? null : new Date(row.bucket).toISOString(),
        })),
      };
    }),
  });
  routes.add({
    ...base,
    path: '/api/logs/pipeline',
    handler: adminJson(async () => ({
      store: log.store.kind,
      queued: log.pipeline.depth,
      lagMs: log.pipeline.lagMs,
      spoolBytes: log.pipeline.spoolBytes,
      rejecting: log.pipeline.rejecting,
      lastError: log.pipeline.lastError ?? null,
      ...log.pipeline.stats,
      retention: log.retention.lastRun ?? null,
    })),
  });
  routes.add({
    ...base,
    path: '/api/logs/tail',
    handler: (runtime, context, info) => {
      try {
        requireAdmin(runtime, context);
        const filter = logFilterFrom(info.query);
        const response = context.response;
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          ...gatewayHeaders(context.record),
        });
        response.write(': switchyard request log tail\n\n');
        log.tail.subscribe(response, filter);
      } catch (error) {
        sendError(runtime, context, adminSurface, error);
      }
    },
  });
  routes.add({
    ...base,
    path: '/api/logs/:id',
    handler: adminJson(async (_runtime, _context, info) => {
      await log.ready();
      const row = await log.store.get(info.params.id ?? '');
      if (row === undefined)
        throw new GatewayError({
          code: 'not_found',
          status: 404,
          message: `No request log record "${info.params.id}"`,
        });
      return logRecordJson(row, true);
    }),
  });
}
