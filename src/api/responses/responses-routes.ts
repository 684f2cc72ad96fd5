import { GatewayError, invalidRequest } from '../../core/index.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { sendBody, sendError } from '../../pipeline/respond.js';
import { runChat } from '../../pipeline/run-chat.js';
import { runHooks } from '../../pipeline/run-hooks.js';
import type { GatewayRuntime } from '../../pipeline/runtime.js';
import type { RouteTable } from '../../server/route-table.js';
import type { ResponsesStore } from '../../store/responses-store.js';
import type { ChatSurface, SurfaceRequestInfo } from '../surface.js';
import { forwardLookup, responseNotFound } from './forward-lookup.js';
import { runResponsesInputTokens } from './input-tokens.js';
import { storeResponse, type StoreResponseDeps } from './store-response.js';

export interface ResponsesRouteDeps extends StoreResponseDeps {
  surface: ChatSurface;
  store: ResponsesStore;
  forwardLookups: boolean;
}

type Handler = (runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo, deps: ResponsesRouteDeps) => Promise<void>;

function ownerOf(context: RequestContext): string {
  return context.record.principal?.virtualKeyId ?? '';
}

function queryString(info: SurfaceRequestInfo): string {
  return info.query === undefined ? '' : info.query.toString();
}

async function retrieve(runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo, deps: ResponsesRouteDeps): Promise<void> {
  const id = info.params.id ?? '';
  if (info.query?.get('stream') === 'true') {
    throw new GatewayError({ code: 'not_supported', status: 400, param: 'stream', message: 'Streaming a stored response again is not supported by the gateway; retrieve it without stream=true.' });
  }
  await deps.pending.get(id);
  const stored = await deps.store.get(id, ownerOf(context));
  if (stored !== undefined) return sendBody(runtime, context, 200, JSON.stringify(stored.response));
  const forwarded = deps.forwardLookups ? await forwardLookup(runtime, context, 'GET', id, '', queryString(info)) : undefined;
  if (forwarded === undefined) throw responseNotFound(id);
  sendBody(runtime, context, forwarded.status, forwarded.body, forwarded.contentType);
}

async function remove(runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo, deps: ResponsesRouteDeps): Promise<void> {
  const id = info.params.id ?? '';
  await deps.pending.get(id);
  if (await deps.store.delete(id, ownerOf(context))) {
    return sendBody(runtime, context, 200, JSON.stringify({ id, object: 'response', deleted: true }));
  }
  const forwarded = deps.forwardLookups ? await forwardLookup(runtime, context, 'DELETE', id, '', '') : undefined;
  if (forwarded === undefined) throw responseNotFound(id);
  sendBody(runtime, context, forwarded.status, forwarded.body, forwarded.contentType);
}

/** GET /v1/responses/{id}/input_items: `limit` (1-100, default 20), `order` (desc by default), `after`. */
async function inputItems(runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo, deps: ResponsesRouteDeps): Promise<void> {
  const id = info.params.id ?? '';
  await deps.pending.get(id);
  const stored = await deps.store.get(id, ownerOf(context));
  if (stored === undefined) {
    const forwarded = deps.forwardLookups ? await forwardLookup(runtime, context, 'GET', id, '/input_items', queryString(info)) : undefined;
    if (forwarded === undefined) throw responseNotFound(id);
    return sendBody(runtime, context, forwarded.status, forwarded.body, forwarded.contentType);
  }
  const query = info.query ?? new URLSearchParams();
  const limit = query.has('limit') ? Number(query.get('limit')) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest("Invalid 'limit': expected an integer between 1 and 100.", 'limit');
  const order = query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest("Invalid 'order': expected 'asc' or 'desc'.", 'order');
  const items = stored.inputItems as Array<{ id: string }>;
  const ordered = order === 'asc' ? items : [...items].reverse();
  const after = query.get('after');
  const start = after === null ? 0 : ordered.findIndex((item) => item.id === after) + 1;
  const data = ordered.slice(start, start + limit);
  sendBody(
    runtime,
    context,
    200,
    JSON.stringify({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < ordered.length }),
  );
}

function guarded(handler: Handler, deps: ResponsesRouteDeps) {
  return async (runtime: GatewayRuntime, context: RequestContext, info: SurfaceRequestInfo): Promise<void> => {
    try {
      await runHooks(runtime.hooks.authenticate, context);
      await handler(runtime, context, info, deps);
    } catch (error) {
      sendError(runtime, context, deps.surface, error);
    }
  };
}

/** Mount the Responses API at /v1/responses and /openai/v1/responses (or under the prefixes given). */
export function registerResponsesRoutes(routes: RouteTable, deps: ResponsesRouteDeps, prefixes: readonly string[] = ['/v1', '/openai/v1']): void {
  const surface = deps.surface;
  for (const prefix of prefixes) {
    routes.add({ method: 'POST', path: `${prefix}/responses/input_tokens`, surface, operation: 'count-tokens', handler: (runtime, context, info) => runResponsesInputTokens(runtime, context, surface, info) });
    routes.add({
      method: 'POST',
      path: `${prefix}/responses`,
      surface,
      operation: 'chat',
      handler: async (runtime, context, info) => {
        await runChat(runtime, context, surface, info);
        await storeResponse(context, deps);
      },
    });
    routes.add({ method: 'GET', path: `${prefix}/responses/:id`, surface, operation: 'other', handler: guarded(retrieve, deps) });
    routes.add({ method: 'DELETE', path: `${prefix}/responses/:id`, surface, operation: 'other', handler: guarded(remove, deps) });
    routes.add({ method: 'GET', path: `${prefix}/responses/:id/input_items`, surface, operation: 'other', handler: guarded(inputItems, deps) });
  }
}
