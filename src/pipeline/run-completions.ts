import type { CompletionSurface, SurfaceRequestInfo } from '../api/surface.js';
import type { ChatRequest, ChatResponse, CompletionRequest, CompletionResponse, StreamEvent } from '../core/index.js';
import { GatewayError } from '../core/index.js';
import { parseUpstreamJson } from '../json/parse-json.js';
import type { Provider, ProviderCallContext } from '../providers/provider.js';
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
import { runHooks } from './run-hooks.js';
import type { GatewayRuntime } from './runtime.js';
import { pumpCanonicalStream, pumpRawStream } from './stream-pump.js';
import { authenticateAndRead } from './admit-request.js';

type CompletionOutcome =
  | { kind: 'response'; response: CompletionResponse }
  | { kind: 'raw-response'; body: Buffer; contentType: string; parsed: unknown }
  | { kind: 'stream'; first: StreamEvent[]; rest: AsyncIterator<StreamEvent[]> }
  | { kind: 'raw-stream'; first: Buffer | undefined; rest: AsyncIterator<Buffer> };

/**
 * Providers without a completions endpoint get the prompt as one user message; the answer's
 * text becomes the completion. Reported as a warning, since chat templates change the output.
 */
function completionAsChat(request: CompletionRequest, provider: Provider, call: ProviderCallContext): ChatRequest {
  if (Array.isArray(request.prompt) && request.prompt.length > 1) {
    throw new GatewayError({
      code: 'not_supported',
      status: 400,
      param: 'prompt',
      message: `Provider "${provider.id}" has no completions endpoint; only a single prompt can be emulated through chat.`,
    });
  }
  const prompt = Array.isArray(request.prompt) ? request.prompt[0]! : request.prompt;
  call.warnings.push({ code: 'emulated', message: `completions are emulated through ${provider.id} chat (the prompt is sent as a user message)` });
  const chat: ChatRequest = { model: call.model, messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }], stream: request.stream };
  if (request.maxOutputTokens !== undefined) chat.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.topP !== undefined) chat.topP = request.topP;
  if (request.n !== undefined) chat.n = request.n;
  if (request.stopSequences !== undefined) chat.stopSequences = request.stopSequences;
  return chat;
}

function chatAsCompletion(response: ChatResponse): CompletionResponse {
  return {
    id: response.id,
    model: response.model,
    ...(response.created === undefined ? {} : { created: response.created }),
    choices: response.choices.map((choice) => ({
      index: choice.index,
      text: choice.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
      finishReason: choice.finishReason,
    })),
    ...(response.usage === undefined ? {} : { usage: response.usage }),
  };
}

async function attemptCompletion(
  runtime: GatewayRuntime,
  context: RequestContext,
  request: CompletionRequest,
  target: Target,
  key: ProviderKey | undefined,
  attempt: AttemptRecord,
  signal: AbortSignal,
): Promise<CompletionOutcome> {
  const provider = target.provider;
  const call = callContext(target, key);
  const native = provider.completions;
  if (native === undefined && provider.chat === undefined) throw notSupported(provider, 'completions');
  const passthrough =
    native !== undefined && usePassthrough(context, provider)
      ? provider.passthrough!.buildRequest('completions', context.rawBody!, context.body as Record<string, unknown>, call, { removeFields: context.gatewayFields })
      : undefined;
  attempt.passthrough = passthrough !== undefined;
  const upstream =
    passthrough?.request ??
    (native !== undefined ? native.buildRequest({ ...request, model: target.model }, call) : provider.chat!.buildRequest(completionAsChat(request, provider, call), call));
  enforceStrict(runtime, context, call.warnings, provider);
  const firstTokenMs = request.stream ? provider.settings.timeouts.firstTokenMs : undefined;
  const timeout = firstTokenMs === undefined ? undefined : new AbortController();
  const upstreamSignal = timeout === undefined ? signal : AbortSignal.any([signal, timeout.signal]);
  const prefetch = { provider: provider.id, firstTokenMs, abort: (error: Error) => timeout?.abort(error) };
  const response = await sendToProvider(runtime, context, provider, key, upstream, attempt, upstreamSignal);
  context.record.warnings = call.warnings;
  context.record.passthrough = passthrough !== undefined;
  if (!request.stream) {
    const bytes = await readUpstreamBody(response, provider.id);
    if (passthrough !== undefined) return { kind: 'raw-response', body: bytes, contentType: 'application/json', parsed: parseUpstreamJson(bytes.toString('utf8'), provider.id) };
    const parsed = parseUpstreamJson(bytes.toString('utf8'), provider.id);
    return { kind: 'response', response: native !== undefined ? native.decodeResponse(parsed, call) : chatAsCompletion(provider.chat!.decodeResponse(parsed, call)) };
  }
  if (passthrough !== undefined) {
    const record = context.record;
    const progress: RawStreamProgress = { content: false, upstreamError: undefined };
    const iterator = passthroughStream(response, provider.passthrough!, passthrough.injectedUsage, provider.id, {
      usage: (usage) => {
        record.usage = usage;
      },
      upstreamError: (data) => {
        progress.upstreamError ??= data;
        if (progress.content) record.errorCode = 'stream_error';
      },
      content: () => {
        progress.content = true;
      },
    });
    return { kind: 'raw-stream', first: await prefetchRaw(iterator, progress, prefetch), rest: iterator };
  }
  const decoder = native !== undefined ? native.createStreamDecoder(call) : provider.chat!.createStreamDecoder(call);
  const framing = native !== undefined ? 'sse' : provider.chat!.streamFraming;
  const iterator = canonicalStream(response, framing, decoder, provider.id);
  return { kind: 'stream', first: await prefetchCanonical(iterator, prefetch), rest: iterator };
}

/** The legacy completions pipeline (OpenAI /v1/completions). */
export async function runCompletions(
  runtime: GatewayRuntime,
  context: RequestContext,
  surface: CompletionSurface,
  info: SurfaceRequestInfo,
): Promise<void> {
  const record = context.record;
  try {
    await authenticateAndRead(runtime, context);
    const request = surface.decodeCompletionRequest(context.body, info);
    record.modelRequested = request.model;
    record.stream = request.stream;
    await runHooks(runtime.hooks.admit, context);
    const targets = runtime.router.plan(request.model, context, 'completions');
    const { result, target, key } = await runtime.router.dispatch(context, targets, (target, key, attempt, signal) =>
      attemptCompletion(runtime, context, request, target, key, attempt, signal),
    );
    recordTarget(record, target, key);
    const encoderInfo = { requestId: record.id, model: request.model };
    switch (result.kind) {
      case 'response':
        if (result.response.usage !== undefined) record.usage = result.response.usage;
        sendBody(runtime, context, 200, surface.encodeCompletionResponse(result.response, encoderInfo));
        break;
      case 'raw-response': {
        const usage = target.provider.passthrough?.readUsage('completions', result.parsed);
        if (usage !== undefined) record.usage = usage;
        sendBody(runtime, context, 200, result.body, result.contentType);
        break;
      }
      case 'stream':
        await pumpCanonicalStream(runtime, context, surface.createCompletionStreamEncoder(request, encoderInfo), result.first, result.rest);
        break;
      case 'raw-stream':
        await pumpRawStream(runtime, context, surface.createCompletionStreamEncoder(request, encoderInfo), result.first, result.rest);
        break;
    }
  } catch (error) {
    sendError(runtime, context, surface, error);
  }
}
