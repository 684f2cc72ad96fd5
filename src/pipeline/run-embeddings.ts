import type { EmbeddingSurface, SurfaceRequestInfo } from '../api/surface.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../core/index.js';
import { parseUpstreamJson } from '../json/parse-json.js';
import type { ProviderKey } from '../providers/provider-settings.js';
import type { Target } from '../router/target.js';
import { readUpstreamBody } from '../transport/send-upstream.js';
import { callContext, enforceStrict, notSupported, recordTarget, sendToProvider, usePassthrough } from './call-provider.js';
import type { RequestContext } from './request-context.js';
import type { AttemptRecord } from './request-record.js';
import { sendBody, sendError } from './respond.js';
import { runHooks } from './run-hooks.js';
import type { GatewayRuntime } from './runtime.js';
import { authenticateAndRead } from './admit-request.js';

type EmbeddingOutcome = { kind: 'response'; response: EmbeddingResponse } | { kind: 'raw'; body: Buffer; contentType: string; parsed: unknown };

async function attemptEmbeddings(
  runtime: GatewayRuntime,
  context: RequestContext,
  request: EmbeddingRequest,
  target: Target,
  key: ProviderKey | undefined,
  attempt: AttemptRecord,
  signal: AbortSignal,
): Promise<EmbeddingOutcome> {
  const provider = target.provider;
  const adapter = provider.embeddings;
  if (adapter === undefined) throw notSupported(provider, 'embeddings');
  const call = callContext(target, key);
  const passthrough = usePassthrough(context, provider)
    ? provider.passthrough!.buildRequest('embeddings', context.rawBody!, context.body as Record<string, unknown>, call, { removeFields: context.gatewayFields })
    : undefined;
  attempt.passthrough = passthrough !== undefined;
  const upstream = passthrough?.request ?? adapter.buildRequest({ ...request, model: target.model }, call);
  enforceStrict(runtime, context, call.warnings, provider);
  const response = await sendToProvider(runtime, context, provider, key, upstream, attempt, signal);
  context.record.warnings = call.warnings;
  context.record.passthrough = passthrough !== undefined;
  const bytes = await readUpstreamBody(response, provider.id);
  if (passthrough !== undefined) {
    const contentType = response.headers['content-type'];
    return { kind: 'raw', body: bytes, contentType: typeof contentType === 'string' ? contentType : 'application/json', parsed: parseUpstreamJson(bytes.toString('utf8'), provider.id) };
  }
  return { kind: 'response', response: adapter.decodeResponse(parseUpstreamJson(bytes.toString('utf8'), provider.id), request, call) };
}

/** The embeddings pipeline. */
export async function runEmbeddings(
  runtime: GatewayRuntime,
  context: RequestContext,
  surface: EmbeddingSurface,
  info: SurfaceRequestInfo,
): Promise<void> {
  const record = context.record;
  try {
    await authenticateAndRead(runtime, context);
    const request = surface.decodeEmbeddingRequest(context.body, info);
    record.modelRequested = request.model;
    context.embeddingRequest = request;
    await runHooks(runtime.hooks.admit, context);
    const targets = runtime.router.plan(request.model, context, 'embeddings');
    const { result, target, key } = await runtime.router.dispatch(context, targets, (target, key, attempt, signal) =>
      attemptEmbeddings(runtime, context, request, target, key, attempt, signal),
    );
    recordTarget(record, target, key);
    if (result.kind === 'raw') {
      const usage = target.provider.passthrough?.readUsage('embeddings', result.parsed);
      if (usage !== undefined) record.usage = usage;
      sendBody(runtime, context, 200, result.body, result.contentType);
      return;
    }
    if (result.response.usage !== undefined) record.usage = result.response.usage;
    if (result.response.model) record.modelReported = result.response.model;
    sendBody(runtime, context, 200, surface.encodeEmbeddingResponse(result.response, request, { requestId: record.id, model: request.model }));
  } catch (error) {
    sendError(runtime, context, surface, error);
  }
}
