import type { z } from 'zod';
import { GatewayError } from '../core/index.js';
import { parseJson } from '../json/parse-json.js';
import { readRequestBody } from '../pipeline/read-request-body.js';
import type { RequestContext } from '../pipeline/request-context.js';
import { sendBody, sendError } from '../pipeline/respond.js';
import type { GatewayRuntime } from '../pipeline/runtime.js';
import type { Route, RouteTable } from '../server/route-table.js';
import { StoreConflictError, StoreUnavailableError } from '../store/governance/governance-store.js';
import { adminSurface } from './admin-surface.js';
import { requireAdmin } from './require-admin.js';

/** Admin bodies are small; a megabyte is plenty. */
const ADMIN_BODY_LIMIT = 1024 * 1024;

export interface AdminRequest {
  runtime: GatewayRuntime;
  context: RequestContext;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams | undefined;
  /** The JSON body, validated by the schema. */
  body<T extends z.ZodType>(schema: T): Promise<z.output<T>>;
}

export interface AdminResponse {
  status?: number;
  body: unknown;
}

export type AdminHandler = (request: AdminRequest) => AdminResponse | Promise<AdminResponse>;

export function notFound(what: string): GatewayError {
  return new GatewayError({ code: 'not_found', status: 404, message: `${what} does not exist.` });
}

export function conflict(message: string): GatewayError {
  return new GatewayError({ code: 'invalid_request', status: 409, message });
}

export function badRequest(message: string, param?: string): GatewayError {
  return new GatewayError({
    code: 'invalid_request',
    status: 400,
    message,
    ...(param === undefined ? {} : { param }),
  });
}

function validationError(error: z.ZodError): GatewayError {
  const issues = error.issues.map(
    (issue) => `${issue.path.length === 0 ? '(body)' : issue.path.join('.')}: ${issue.message}`,
  );
  const first = error.issues[0]?.path;
  return badRequest(
    `Invalid request body: ${issues.join('; ')}`,
    first === undefined || first.length === 0 ? undefined : first.join('.'),
  );
}

/** Store failures in admin terms: conflicts are 409, an unreachable store is 503. */
function translate(error: unknown): unknown {
  if (error instanceof StoreConflictError) return conflict(error.message);
  if (error instanceof StoreUnavailableError) {
    return new GatewayError({
      code: 'governance_unavailable',
      status: 503,
      retryable: true,
      retryAfterMs: 1000,
      message: 'The config store is unavailable; try again shortly.',
    });
  }
  return error;
}

/**
 * Add an admin route: admin key required (unless `open`), JSON in and out, errors in the admin
 * API's shape (`{"error": {"code", "message", "param"}}`).
 */
export function adminRoute(
  routes: RouteTable,
  method: Route['method'],
  path: string,
  handler: AdminHandler,
  options: { open?: boolean } = {},
): void {
  routes.add({
    method,
    path,
    surface: adminSurface,
    operation: 'other',
    handler: async (runtime, context, info) => {
      try {
        if (options.open !== true) requireAdmin(runtime, context);
        const request: AdminRequest = {
          runtime,
          context,
          params: info.params,
          query: info.query,
          async body(schema) {
            const raw = await readRequestBody(context.request, ADMIN_BODY_LIMIT);
            const parsed = raw.length === 0 ? {} : parseJson(raw.toString('utf8'));
            const result = schema.safeParse(parsed);
            if (!result.success) throw validationError(result.error);
            return result.data;
          },
        };
        const response = await handler(request);
        sendBody(
          runtime,
          context,
          response.status ?? 200,
          response.status === 204 ? '' : JSON.stringify(response.body),
        );
      } catch (error) {
        sendError(runtime, context, adminSurface, translate(error));
      }
    },
  });
}
