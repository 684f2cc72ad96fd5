import type { ChatSurface, DecodedChatRequest } from '../api/surface.js';
import { parseJson } from '../json/parse-json.js';
import { readRequestBody } from './read-request-body.js';
import type { RequestContext } from './request-context.js';
import { runHooks } from './run-hooks.js';
import type { GatewayRuntime } from './runtime.js';

/**
 * The start of every pipeline that takes a JSON body: authenticate the client first (nothing is
 * read for a refused key), then read the body within the size limit and parse it. The raw bytes
 * and the parsed value are kept on the context (passthrough forwards the bytes).
 */
export async function authenticateAndRead(runtime: GatewayRuntime, context: RequestContext): Promise<unknown> {
  await runHooks(runtime.hooks.authenticate, context);
  context.rawBody = await readRequestBody(context.request, runtime.config.server.bodyLimit);
  context.body = parseJson(context.rawBody.toString('utf8'));
  return context.body;
}

/**
 * A decoded chat request becomes the request's own: directives set and model recorded (so a
 * refusal is logged with it), the surface's preparation run (the Responses surface loads
 * previous_response_id), then admission.
 */
export function admitChatRequest(
  runtime: GatewayRuntime,
  context: RequestContext,
  decoded: DecodedChatRequest,
  surface?: Pick<ChatSurface, 'prepareChatRequest'>,
): void | Promise<void> {
  context.directives = decoded.directives;
  context.gatewayFields = decoded.gatewayFields;
  context.record.modelRequested = decoded.request.model;
  const prepared = surface?.prepareChatRequest?.(decoded, context);
  if (prepared !== undefined) return prepared.then(() => admit(runtime, context, decoded));
  return admit(runtime, context, decoded);
}

function admit(runtime: GatewayRuntime, context: RequestContext, decoded: DecodedChatRequest): void | Promise<void> {
  context.chatRequest = decoded.request;
  return runHooks(runtime.hooks.admit, context);
}
