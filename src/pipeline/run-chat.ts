import type { ChatSurface, SurfaceRequestInfo } from '../api/surface.js';
import type { ChatRequest, ChatResponse, StreamEvent } from '../core/index.js';
import { parseUpstreamJson } from '../json/parse-json.js';
import type { ProviderKey } from '../providers/provider-settings.js';
import type { Target } from '../router/target.js';
import { readUpstreamBody } from '../transport/send-upstream.js';
import { callContext, enforceStrict, notSupported, recordTarget, sendToProvider, usePassthrough } from './call-provider.js';
import { canonicalStream } from './canonical-stream.js';
import { passthroughStream } from './passthrough-stream.js';
import { prefetchCanonical, prefetchRaw, type RawStreamProgress } from './prefetch-stream.js';
import type { RequestContext } from './request-context.js';
import type { AttemptRecord } from './request-record.js';
import { sendBody, sendError } from './respond.js';
import type { GatewayRuntime } from './runtime.js';
import { pumpCanonicalStream, pumpRawStream } from './stream-pump.js';
import { admitChatRequest, authenticateAndRead } from './admit-request.js';

type ChatOutcome =
  | { kind: 'response'; response: ChatResponse }
  | { kind: 'raw-response'; body: Buffer; contentType: string; parsed: unknown }
  | { kind: 'stream'; first: StreamEvent[]; rest: AsyncIterator<StreamEvent[]> }
  | { kind: 'raw-stream'; first: Buffer | undefined; rest: AsyncIterator<Buffer> };

async function attemptChat(
  runtime: GatewayRuntime,
  context: RequestContext,
  request: ChatRequest,
  target: Target,
  key: ProviderKey | undefined,
  attempt: AttemptRecord,
  signal: AbortSignal,
): Promise<ChatOutcome> {
  const provider = target.provider;
  const adapter = provider.chat;
  if (adapter === undefined) throw notSupported(provider, 'chat');
  const call = callContext(target, key, runtime.catalog);
  const record = context.record;
  const passthrough = usePassthrough(context, provider)
    ? provider.passthrough!.buildRequest('chat', context.rawBody!, context.body as Record<string, unknown>, call, {
        removeFields: context.gatewayFields,
        clientHeaders: context.request.headers,
        stream: request.stream,
      })
    : undefined;
  attempt.passthrough = passthrough !== undefined;
  const upstream = passthrough?.request ?? adapter.buildRequest({ ...request, model: target.model }, call);
  enforceStrict(runtime, context, call.warnings, provider);
  // A first-token timeout aborts this attempt's upstream request on its own.
  const firstTokenMs = request.stream ? provider.settings.timeouts.firstTokenMs : undefined;
  const timeout = firstTokenMs === undefined ? undefined : new AbortController();
  const upstreamSignal = timeout === undefined ? signal : AbortSignal.any([signal, timeout.signal]);
  const prefetch = { provider: provider.id, firstTokenMs, abort: (error: Error) => timeout?.abort(error) };
  const response = await sendToProvider(runtime, context, provider, key, upstream, attempt, upstreamSignal);
  record.warnings = call.warnings;
  record.passthrough = passthrough !== undefined;

  if (!request.stream) {
    const bytes = await readUpstreamBody(response, provider.id);
    if (passthrough !== undefined) {
      const contentType = response.headers['content-type'];
      // Parsed here (usage is read from it) so that a malformed answer fails over, not through.
      const parsed = parseUpstreamJson(bytes.toString('utf8'), provider.id);
      return { kind: 'raw-response', body: bytes, contentType: typeof contentType === 'string' ? contentType : 'application/json', parsed };
    }
    const decoded = adapter.decodeResponse(parseUpstreamJson(bytes.toString('utf8'), provider.id), call);
    return { kind: 'response', response: decoded };
  }

  if (passthrough !== undefined) {
    const support = provider.passthrough!;
    const progress: RawStreamProgress = { content: false, upstreamError: undefined };
    const iterator = passthroughStream(response, support, passthrough.injectedUsage, provider.id, {
      usage: (usage) => {
        record.usage = usage;
      },
      upstreamError: (data) => {
        progress.upstreamError ??= data;
        if (!progress.content) return;
        record.errorCode = 'stream_error';
        record.errorMessage = data.slice(0, 512);
      },
      content: () => {
        progress.content = true;
      },
    });
    return { kind: 'raw-stream', first: await prefetchRaw(iterator, progress, prefetch), rest: iterator };
  }
  const iterator = canonicalStream(response, adapter.streamFraming, adapter.createStreamDecoder(call), provider.id);
  return { kind: 'stream', first: await prefetchCanonical(iterator, prefetch), rest: iterator };
}

/** Fill the record from a complete canonical response. */
function recordResponse(context: RequestContext, response: ChatResponse): void {
  const record = context.record;
  if (response.usage !== undefined) record.usage = response.usage;
  if (response.model) record.modelReported = response.model;
  const reason = response.choices[0]?.finishReason;
  if (reason !== undefined) record.finishReason = reason.raw ?? reason.unified;
}

/** The chat pipeline: read, decode, admit, route, call, encode — for any chat surface. */
export async function runChat(runtime: GatewayRuntime, context: RequestContext, surface: ChatSurface, info: SurfaceRequestInfo): Promise<void> {
  const record = context.record;
  try {
    await authenticateAndRead(runtime, context);
    const decoded = surface.decodeChatRequest(context.body, info);
    const request = decoded.request;
    record.stream = request.stream;
    await admitChatRequest(runtime, context, decoded, surface);

    const targets = runtime.router.plan(request.model, context, 'chat');
    const { result, target, key } = await runtime.router.dispatch(context, targets, (target, key, attempt, signal) =>
      attemptChat(runtime, context, context.chatRequest ?? request, target, key, attempt, signal),
    );
    recordTarget(record, target, key);
    const encoderInfo = { requestId: record.id, model: request.model, startedAt: record.start };

    switch (result.kind) {
      case 'response': {
        recordResponse(context, result.response);
        sendBody(runtime, context, 200, surface.encodeChatResponse(result.response, request, encoderInfo));
        break;
      }
      case 'raw-response': {
        // Usage is read before sending so the cost header can be set.
        const parsed = result.parsed;
        const usage = target.provider.passthrough?.readUsage('chat', parsed);
        if (usage !== undefined) record.usage = usage;
        if (typeof (parsed as { model?: unknown } | undefined)?.model === 'string') record.modelReported = (parsed as { model: string }).model;
        const finishReason = (parsed as { choices?: Array<{ finish_reason?: unknown }> } | undefined)?.choices?.[0]?.finish_reason;
        if (typeof finishReason === 'string') record.finishReason = finishReason;
        sendBody(runtime, context, 200, result.body, result.contentType);
        break;
      }
      case 'stream':
        await pumpCanonicalStream(runtime, context, surface.createStreamEncoder(request, encoderInfo), result.first, result.rest);
        break;
      case 'raw-stream':
        await pumpRawStream(runtime, context, surface.createStreamEncoder(request, encoderInfo), result.first, result.rest);
        break;
    }
  } catch (error) {
    sendError(runtime, context, surface, error);
  }
}
