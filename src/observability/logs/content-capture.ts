import type { ChatRequest, EmbeddingRequest } from '../../core/index.js';
import { tryParseJson } from '../../json/parse-json.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { RequestRecord } from '../../pipeline/request-record.js';
import type { ContentMode, LogsConfig } from '../config-schema.js';
import type { Redactor } from './redactor.js';
import { StreamTranscript } from './stream-transcript.js';

const TRANSCRIPT = Symbol('observability.stream-transcript');

export interface CapturedContent {
  mode: ContentMode;
  request: string | null;
  response: string | null;
}

/** The content mode for one request: the virtual key's override, else the configured mode. */
export function contentModeFor(config: LogsConfig['content'], record: RequestRecord): ContentMode {
  const principal = record.principal;
  if (principal !== undefined) {
    const byKey = config.byVirtualKey;
    const override =
      (principal.virtualKeyName === undefined ? undefined : byKey[principal.virtualKeyName]) ??
      (principal.virtualKeyId === undefined ? undefined : byKey[principal.virtualKeyId]);
    if (override !== undefined) return override;
  }
  return config.mode;
}

/** Whether any request can be logged in full (only then is the admit hook registered). */
export function fullContentPossible(config: LogsConfig['content']): boolean {
  return config.mode === 'full' || Object.values(config.byVirtualKey).includes('full');
}

/**
 * Admission step for full content logging: keep the response body, and for streams turn the
 * passthrough fast path off so every canonical event reaches the transcript.
 */
export function prepareContentCapture(config: LogsConfig['content'], context: RequestContext): void {
  if (contentModeFor(config, context.record) !== 'full') return;
  context.captureResponseBody = true;
  if (context.record.stream) {
    context.passthroughAllowed = false;
    const transcript = new StreamTranscript(config.maxBytes);
    context.state.set(TRANSCRIPT, transcript);
    context.streamObservers.push(transcript.observe);
  }
}

function cut(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 4 || Buffer.byteLength(text) <= maxBytes) return text;
  const kept = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  return `${kept}…[truncated ${Buffer.byteLength(text) - Buffer.byteLength(kept)} bytes]`;
}

function chatMetadata(request: ChatRequest, bodyBytes: number | undefined): Record<string, unknown> {
  const roles: Record<string, number> = {};
  for (const message of request.messages) roles[message.role] = (roles[message.role] ?? 0) + 1;
  return {
    kind: 'chat',
    model: request.model,
    stream: request.stream,
    messages: request.messages.length,
    roles,
    ...(request.tools === undefined ? {} : { tools: request.tools.map((tool) => tool.name) }),
    ...(request.toolChoice === undefined
      ? {}
      : {
          toolChoice: request.toolChoice.type === 'tool' ? request.toolChoice.name : request.toolChoice.type,
        }),
    ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.topP === undefined ? {} : { topP: request.topP }),
    ...(request.n === undefined ? {} : { n: request.n }),
    ...(request.responseFormat === undefined ? {} : { responseFormat: request.responseFormat.type }),
    ...(request.reasoning === undefined ? {} : { reasoning: request.reasoning }),
    ...(bodyBytes === undefined ? {} : { bodyBytes }),
  };
}

function embeddingMetadata(
  request: EmbeddingRequest,
  bodyBytes: number | undefined,
): Record<string, unknown> {
  return {
    kind: 'embeddings',
    model: request.model,
    inputs: request.input.length,
    ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
    ...(bodyBytes === undefined ? {} : { bodyBytes }),
  };
}

function requestMetadata(context: RequestContext): string | null {
  const bodyBytes = context.rawBody?.length;
  if (context.chatRequest !== undefined) return JSON.stringify(chatMetadata(context.chatRequest, bodyBytes));
  if (context.embeddingRequest !== undefined)
    return JSON.stringify(embeddingMetadata(context.embeddingRequest, bodyBytes));
  return bodyBytes === undefined ? null : JSON.stringify({ bodyBytes });
}

function redactBody(body: unknown, raw: string | Buffer | undefined, redactor: Redactor): string | null {
  if (body !== undefined) return JSON.stringify(redactor.value(body));
  if (raw === undefined) return null;
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  const parsed = tryParseJson(text);
  return parsed === undefined ? redactor.text(text) : JSON.stringify(redactor.value(parsed));
}

/** The content of a finished request for its log record, per its mode. */
export function captureContent(
  config: LogsConfig['content'],
  redactor: Redactor,
  context: RequestContext,
): CapturedContent {
  const mode = contentModeFor(config, context.record);
  if (mode === 'off') return { mode, request: null, response: null };
  if (mode === 'metadata') return { mode, request: requestMetadata(context), response: null };
  const requestText = redactBody(context.body, context.rawBody, redactor);
  const transcript = context.state.get(TRANSCRIPT) as StreamTranscript | undefined;
  let responseText: string | null;
  if (transcript !== undefined) responseText = JSON.stringify(redactor.value(transcript.data()));
  else responseText = redactBody(undefined, context.responseBody, redactor);
  return {
    mode,
    request: requestText === null ? null : cut(requestText, config.maxBytes),
    response: responseText === null ? null : cut(responseText, config.maxBytes),
  };
}
