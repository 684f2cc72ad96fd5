import type { RerankSurface, SurfaceRequestInfo } from '../api/surface.js';
import type { RerankRequest, RerankResponse } from '../core/index.js';
import { parseUpstreamJson, tryParseJson } from '../json/parse-json.js';
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

type RerankOutcome = { kind: 'response'; response: RerankResponse } | { kind: 'raw'; body: Buffer; contentType: string };

async function attemptRerank(
  runtime: GatewayRuntime,
  context: RequestContext,
  request: RerankRequest,
  target: Target,
  key: ProviderKey | undefined,
  attempt: AttemptRecord,
): Promise<RerankOutcome> {
  const provider = target.provider;
  const adapter = provider.rerank;
  if (adapter === undefined) throw notSupported(provider, 'rerank');
  const call = callContext(target, key);
  const passthrough = usePassthrough(context, provider)
    ? provider.passthrough!.buildRequest('rerank', context.rawBody!, context.body as Record<string, unknown>, call, { removeFields: context.gatewayFields })
    : undefined;
  attempt.passthrough = passthrough !== undefined;
  const upstream = passthrough?.request ?? adapter.buildRequest({ ...request, model: target.model }, call);
  if (passthrough === undefined) enforceStrict(runtime, context, call.warnings, provider);
  const response = await sendToProvider(runtime, context, provider, key, upstream, attempt);
  context.record.warnings = call.warnings;
  context.record.passthrough = passthrough !== undefined;
  const bytes = await readUpstreamBody(response, provider.id);
  if (passthrough !== undefined) {
    const contentType = response.headers['content-type'];
    return { kind: 'raw', body: bytes, contentType: typeof contentType === 'string' ? contentType : 'application/json' };
  }
  return { kind: 'response', response: adapter.decodeResponse(parseUpstreamJson(bytes.toString('utf8'), provider.id), request, call) };
}

/** The rerank pipeline (Cohere /v2/rerank, OpenAI-side /v1/rerank), mirroring embeddings. */
export async function runRerank(runtime: GatewayRuntime, context: RequestContext, surface: RerankSurface, info: SurfaceRequestInfo): Promise<void> {
  const record = context.record;
  try {
    await authenticateAndRead(runtime, context);
    const request = surface.decodeRerankRequest(context.body, info);
    record.modelRequested = request.model;
    context.rerankRequest = request;
    await runHooks(runtime.hooks.admit, context);
    const targets = runtime.router.plan(request.model, context, 'rerank');
    const { result, target, key } = await runtime.router.dispatch(context, targets, (target, key, attempt) =>
      attemptRerank(runtime, context, context.rerankRequest ?? request, target, key, attempt),
    );
    recordTarget(record, target, key);
    if (result.kind === 'raw') {
      const usage = target.provider.passthrough?.readUsage('rerank', tryParseJson(result.body.toString('utf8')));
      if (usage !== undefined) record.usage = usage;
      sendBody(runtime, context, 200, result.body, result.contentType);
      return;
    }
    if (result.response.usage !== undefined) record.usage = result.response.usage;
    if (result.response.model) record.modelReported = result.response.model;
    sendBody(runtime, context, 200, surface.encodeRerankResponse(result.response, request, { requestId: record.id, model: request.model }));
  } catch (error) {
    sendError(runtime, context, surface, error);
  }
}
