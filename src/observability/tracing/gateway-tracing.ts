import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { PipelineHooks } from '../../pipeline/hooks.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { AttemptRecord, RequestRecord } from '../../pipeline/request-record.js';
import type { Target } from '../../router/target.js';
import type { TracingConfig } from '../config-schema.js';
import { GEN_AI, genAiOperationName, genAiProviderName } from './gen-ai-attributes.js';
import { formatTraceParent, parseTraceParent } from './traceparent.js';

interface RequestSpans {
  span: Span;
  attempts: Map<AttemptRecord, Span>;
  /**
   * The successful attempt's span stays open until the request completes, so it carries the
   * response model, usage and finish reason; a non-streamed one ends at its recorded end time.
   */
  answered: { span: Span; endTime: number | undefined } | undefined;
}

const SPANS = Symbol('observability.tracing');

/** Epoch milliseconds of a performance.now() reading. */
function epochMs(monotonic: number): number {
  return performance.timeOrigin + monotonic;
}

/**
 * OpenTelemetry traces: one SERVER span per request and one CLIENT span per upstream attempt,
 * with GenAI semantic-convention attributes, exported over OTLP/HTTP in batches. A client's
 * W3C traceparent makes the request span its child; each attempt sends its own traceparent
 * upstream. Only constructed when tracing is enabled.
 */
export class GatewayTracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly config: TracingConfig;

  constructor(config: TracingConfig, version: string) {
    this.config = config;
    const exporter = new OTLPTraceExporter({
      url: config.endpoint,
      headers: config.headers,
      timeoutMillis: config.exportTimeout,
    });
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': version }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
      spanProcessors: [
        new BatchSpanProcessor(exporter, {
          scheduledDelayMillis: config.exportInterval,
          maxQueueSize: config.maxQueueSize,
          maxExportBatchSize: Math.min(512, config.maxQueueSize),
          exportTimeoutMillis: config.exportTimeout,
        }),
      ],
    });
    this.tracer = this.provider.getTracer('switchyard', version);
  }

  register(hooks: PipelineHooks): void {
    hooks.attemptStart.push((context, target, attempt) => this.attemptStart(context, target, attempt));
    hooks.attemptEnd.push((context, attempt) => this.attemptEnd(context, attempt));
    hooks.complete.push((record, context) => this.complete(record, context));
  }

  private requestSpans(context: RequestContext): RequestSpans {
    const existing = context.state.get(SPANS) as RequestSpans | undefined;
    if (existing !== undefined) return existing;
    const record = context.record;
    const parent = parseTraceParent(context.request.headers.traceparent);
    const parentContext =
      parent === undefined
        ? ROOT_CONTEXT
        : trace.setSpanContext(ROOT_CONTEXT, {
            traceId: parent.traceId,
            spanId: parent.spanId,
            traceFlags: parent.flags,
            isRemote: true,
          });
    const operation = genAiOperationName(record.operation);
    const name =
      operation !== undefined && record.modelRequested !== undefined
        ? `${operation} ${record.modelRequested}`
        : `${context.request.method ?? 'GET'} ${record.path}`;
    const span = this.tracer.startSpan(
      name,
      { kind: SpanKind.SERVER, startTime: epochMs(record.start) },
      parentContext,
    );
    record.traceId = span.spanContext().traceId;
    const spans: RequestSpans = { span, attempts: new Map(), answered: undefined };
    context.state.set(SPANS, spans);
    return spans;
  }

  private attemptStart(context: RequestContext, target: Target, attempt: AttemptRecord): void {
    const spans = this.requestSpans(context);
    const operation = genAiOperationName(context.record.operation) ?? context.record.operation;
    const attributes: Attributes = {
      [GEN_AI.operationName]: operation,
      [GEN_AI.providerName]: genAiProviderName(target.provider.type),
      [GEN_AI.system]: genAiProviderName(target.provider.type),
      [GEN_AI.requestModel]: target.model,
      'switchyard.provider.id': target.provider.id,
      'switchyard.attempt.number': context.record.attempts.length,
    };
    if (attempt.key !== undefined) attributes['switchyard.provider.key'] = attempt.key;
    if (attempt.reason !== undefined) attributes['switchyard.attempt.reason'] = attempt.reason;
    try {
      const url = new URL(target.provider.settings.baseUrl);
      attributes['server.address'] = url.hostname;
      if (url.port !== '') attributes['server.port'] = Number(url.port);
    } catch {
      // No usable base URL: leave the server attributes out.
    }
    const span = this.tracer.startSpan(
      `${operation} ${target.model}`,
      { kind: SpanKind.CLIENT, attributes },
      trace.setSpan(ROOT_CONTEXT, spans.span),
    );
    spans.attempts.set(attempt, span);
    if (!this.config.propagate) return;
    const spanContext = span.spanContext();
    const headers: Record<string, string> = {
      ...context.upstreamHeaders,
      traceparent: formatTraceParent({
        traceId: spanContext.traceId,
        spanId: spanContext.spanId,
        flags: spanContext.traceFlags,
      }),
    };
    const tracestate = context.request.headers.tracestate;
    if (typeof tracestate === 'string' && tracestate !== '') headers.tracestate = tracestate;
    context.upstreamHeaders = headers;
  }

  private attemptEnd(context: RequestContext, attempt: AttemptRecord): void {
    const spans = context.state.get(SPANS) as RequestSpans | undefined;
    const span = spans?.attempts.get(attempt);
    if (spans === undefined || span === undefined) return;
    spans.attempts.delete(attempt);
    if (attempt.status !== 0) span.setAttribute('http.response.status_code', attempt.status);
    span.setAttribute('switchyard.passthrough', attempt.passthrough);
    if (attempt.outcome !== 'success') {
      span.setAttribute('error.type', attempt.errorCode ?? attempt.outcome);
      span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.errorCode ?? attempt.outcome });
      span.end();
      return;
    }
    // A stream has only started: its span ends with the stream.
    spans.answered = { span, endTime: context.record.stream ? undefined : Date.now() };
  }

  private complete(record: RequestRecord, context: RequestContext): void {
    const spans = this.requestSpans(context);
    const attributes = responseAttributes(record, context);
    const answered = spans.answered;
    if (answered !== undefined) {
      answered.span.setAttributes(attributes);
      if (record.errorCode !== undefined) {
        answered.span.setAttribute('error.type', record.errorCode);
        answered.span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorCode });
      }
      answered.span.end(answered.endTime);
    }
    for (const leftover of spans.attempts.values()) leftover.end();
    const span = spans.span;
    span.setAttributes(attributes);
    span.setAttributes(requestAttributes(record, context));
    if (record.status >= 500 || record.errorCode !== undefined) {
      span.setAttribute('error.type', record.errorCode ?? String(record.status));
      if (record.status >= 500 || record.status === 0)
        span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorCode ?? String(record.status) });
    }
    span.end(epochMs(record.start + (record.timing.totalMs ?? performance.now() - record.start)));
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }

  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }
}

function requestAttributes(record: RequestRecord, context: RequestContext): Attributes {
  const attributes: Attributes = {
    'http.request.method': context.request.method ?? 'GET',
    'url.path': record.path,
    'http.response.status_code': record.status,
    'switchyard.request_id': record.id,
    'switchyard.surface': record.surface,
    'switchyard.attempts': record.attempts.length,
    'switchyard.stream': record.stream,
  };
  const operation = genAiOperationName(record.operation);
  if (operation !== undefined) attributes[GEN_AI.operationName] = operation;
  if (record.modelRequested !== undefined) attributes[GEN_AI.requestModel] = record.modelRequested;
  if (record.providerType !== undefined) {
    attributes[GEN_AI.providerName] = genAiProviderName(record.providerType);
    attributes[GEN_AI.system] = genAiProviderName(record.providerType);
  }
  if (record.provider !== undefined) attributes['switchyard.provider.id'] = record.provider;
  if (typeof record.costUsd === 'number') attributes['switchyard.cost_usd'] = record.costUsd;
  if (record.cache !== undefined) attributes['switchyard.cache'] = record.cache;
  const chat = context.chatRequest;
  if (chat !== undefined) {
    if (chat.maxOutputTokens !== undefined) attributes[GEN_AI.requestMaxTokens] = chat.maxOutputTokens;
    if (chat.temperature !== undefined) attributes[GEN_AI.requestTemperature] = chat.temperature;
    if (chat.topP !== undefined) attributes[GEN_AI.requestTopP] = chat.topP;
    if (chat.n !== undefined && chat.n !== 1) attributes[GEN_AI.requestChoiceCount] = chat.n;
  }
  return attributes;
}

function responseAttributes(record: RequestRecord, _context: RequestContext): Attributes {
  const attributes: Attributes = {};
  const responseModel = record.modelReported ?? record.model;
  if (responseModel !== undefined) attributes[GEN_AI.responseModel] = responseModel;
  if (record.finishReason !== undefined) attributes[GEN_AI.responseFinishReasons] = [record.finishReason];
  const usage = record.usage;
  if (usage?.inputTokens !== undefined) attributes[GEN_AI.usageInputTokens] = usage.inputTokens;
  if (usage?.outputTokens !== undefined) attributes[GEN_AI.usageOutputTokens] = usage.outputTokens;
  return attributes;
}
