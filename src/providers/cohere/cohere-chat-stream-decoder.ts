import { GatewayError } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { citesAnswerText, convertCohereCitation } from './convert-cohere-citations.js';
import { convertCohereLogprobs } from './convert-cohere-logprobs.js';
import { convertCohereUsage } from './convert-cohere-usage.js';
import { normaliseCohereArguments } from './decode-cohere-chat-response.js';
import { mapCohereError } from './map-cohere-error.js';
import { mapCohereFinishReason } from './map-cohere-finish-reason.js';
import { malformedStreamEvent, streamEndedEarly } from '../shared/stream-errors.js';

interface OpenBlock {
  kind: 'text' | 'reasoning';
  id: string;
}

interface ToolState {
  id: string;
  name: string;
  arguments: string;
}

/** `delta.message` of an event, or an empty object. */
function deltaMessage(event: Record<string, unknown>): Record<string, unknown> {
  const delta = isRecord(event.delta) ? event.delta : {};
  return isRecord(delta.message) ? delta.message : {};
}

/**
 * Cohere v2 chat stream → canonical events. https://docs.cohere.com/docs/streaming
 * Events: message-start, content-start/delta/end (text or thinking, by `index`),
 * tool-plan-delta (prose before tool calls, emitted as a text block), tool-call-start/delta/end,
 * citation-start/end, message-end (finish_reason, usage). A message-end with finish_reason
 * ERROR or TIMEOUT, or an error body in the stream, is a mid-stream error.
 */
export class CohereChatStreamDecoder implements StreamDecoder<SseEvent> {
  private readonly provider: string;
  private readonly model: string;
  private readonly blocks = new Map<number, OpenBlock>();
  private planId: string | undefined;
  private planCount = 0;
  private readonly tools = new Map<number, ToolState>();
  private lastTextId: string | undefined;
  private finished = false;
  private failed = false;

  constructor(provider: string, model: string) {
    this.provider = provider;
    this.model = model;
  }

  push(frame: SseEvent, emit: EmitEvent): void {
    if (this.failed || this.finished) return;
    const event = tryParseJson(frame.data);
    if (!isRecord(event)) {
      if (frame.data.trim() === '') return;
      this.fail(emit, malformedStreamEvent(this.provider, frame.data));
      return;
    }
    const type = typeof event.type === 'string' ? event.type : frame.event;
    const index = typeof event.index === 'number' ? event.index : 0;
    switch (type) {
      case 'message-start':
        emit({ type: 'response-metadata', ...(typeof event.id === 'string' ? { id: event.id } : {}), model: this.model });
        return;
      case 'content-start': {
        const content = deltaMessage(event).content;
        const kind = isRecord(content) && content.type === 'thinking' ? 'reasoning' : 'text';
        this.closePlan(emit);
        const block: OpenBlock = { kind, id: `${kind}-${index}` };
        this.blocks.set(index, block);
        if (kind === 'text') this.lastTextId = block.id;
        emit({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id: block.id });
        this.content(block, content, emit);
        return;
      }
      case 'content-delta': {
        let block = this.blocks.get(index);
        const content = deltaMessage(event).content;
        if (block === undefined) {
          // Tolerate a delta without its start.
          const kind = isRecord(content) && typeof content.thinking === 'string' ? 'reasoning' : 'text';
          block = { kind, id: `${kind}-${index}` };
          this.blocks.set(index, block);
          if (kind === 'text') this.lastTextId = block.id;
          emit({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id: block.id });
        }
        this.content(block, content, emit);
        const rawLogprobs = event.logprobs ?? (isRecord(event.delta) ? event.delta.logprobs : undefined);
        const logprobs = convertCohereLogprobs(isRecord(rawLogprobs) ? [rawLogprobs] : rawLogprobs);
        if (logprobs !== undefined) emit({ type: 'logprobs', ...logprobs });
        return;
      }
      case 'content-end': {
        const block = this.blocks.get(index);
        if (block === undefined) return;
        this.blocks.delete(index);
        emit({ type: block.kind === 'text' ? 'text-end' : 'reasoning-end', id: block.id });
        return;
      }
      case 'tool-plan-delta': {
        const plan = deltaMessage(event).tool_plan;
        if (typeof plan !== 'string' || plan === '') return;
        if (this.planId === undefined) {
          this.planId = `tool-plan-${this.planCount++}`;
          emit({ type: 'text-start', id: this.planId });
        }
        emit({ type: 'text-delta', id: this.planId, delta: plan });
        return;
      }
      case 'tool-call-start': {
        this.closePlan(emit);
        const call = deltaMessage(event).tool_calls;
        const record = isRecord(call) ? call : {};
        const fn = isRecord(record.function) ? record.function : {};
        const tool: ToolState = {
          id: typeof record.id === 'string' && record.id !== '' ? record.id : `call_${index}`,
          name: typeof fn.name === 'string' ? fn.name : '',
          arguments: '',
        };
        this.tools.set(index, tool);
        emit({ type: 'tool-input-start', id: tool.id, name: tool.name });
        this.toolArguments(tool, fn.arguments, emit);
        return;
      }
      case 'tool-call-delta': {
        const tool = this.tools.get(index);
        const call = deltaMessage(event).tool_calls;
        const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
        if (tool !== undefined) this.toolArguments(tool, fn.arguments, emit);
        return;
      }
      case 'tool-call-end': {
        const tool = this.tools.get(index);
        if (tool !== undefined) this.closeTool(index, tool, emit);
        return;
      }
      case 'citation-start': {
        const raw = deltaMessage(event).citations;
        if (!citesAnswerText(raw)) return;
        const citation = convertCohereCitation(raw);
        if (citation === undefined) return;
        const contentIndex = isRecord(raw) && typeof raw.content_index === 'number' ? raw.content_index : undefined;
        const id = contentIndex !== undefined ? `text-${contentIndex}` : (this.lastTextId ?? 'text-0');
        emit({ type: 'citation', id, citation });
        return;
      }
      case 'message-end':
        this.messageEnd(event, emit);
        return;
      case 'error':
        this.fail(emit, this.streamError(event));
        return;
      default:
        if (type === undefined && typeof event.message === 'string') this.fail(emit, this.streamError(event));
        // citation-end, debug and future event types carry nothing the canonical model needs.
        return;
    }
  }

  end(emit: EmitEvent): void {
    if (this.failed || this.finished) return;
    this.closeAll(emit);
    emit({
      type: 'error',
      error: streamEndedEarly(this.provider),
    });
  }

  private content(block: OpenBlock, content: unknown, emit: EmitEvent): void {
    if (!isRecord(content)) return;
    const delta = block.kind === 'text' ? content.text : content.thinking;
    if (typeof delta === 'string' && delta !== '') {
      emit({ type: block.kind === 'text' ? 'text-delta' : 'reasoning-delta', id: block.id, delta });
    }
  }

  private toolArguments(tool: ToolState, fragment: unknown, emit: EmitEvent): void {
    if (typeof fragment !== 'string' || fragment === '') return;
    tool.arguments += fragment;
    emit({ type: 'tool-input-delta', id: tool.id, delta: fragment });
  }

  private closeTool(index: number, tool: ToolState, emit: EmitEvent): void {
    this.tools.delete(index);
    emit({ type: 'tool-input-end', id: tool.id });
    emit({ type: 'tool-call', id: tool.id, name: tool.name, arguments: normaliseCohereArguments(tool.arguments) });
  }

  private closePlan(emit: EmitEvent): void {
    if (this.planId === undefined) return;
    emit({ type: 'text-end', id: this.planId });
    this.planId = undefined;
  }

  private closeAll(emit: EmitEvent): void {
    this.closePlan(emit);
    for (const block of this.blocks.values()) emit({ type: block.kind === 'text' ? 'text-end' : 'reasoning-end', id: block.id });
    this.blocks.clear();
    for (const [index, tool] of this.tools) this.closeTool(index, tool, emit);
  }

  private messageEnd(event: Record<string, unknown>, emit: EmitEvent): void {
    const delta = isRecord(event.delta) ? event.delta : {};
    this.closeAll(emit);
    const usage = convertCohereUsage(delta.usage);
    if (usage !== undefined) emit({ type: 'usage', usage });
    const finishReason = mapCohereFinishReason(delta.finish_reason);
    if (finishReason.unified === 'error') {
      const timeout = finishReason.raw === 'TIMEOUT';
      const detail = typeof delta.error === 'string' && delta.error !== '' ? `: ${delta.error}` : '';
      this.failed = true;
      emit({
        type: 'error',
        error: new GatewayError({
          code: timeout ? 'upstream_timeout' : 'stream_error',
          status: timeout ? 504 : 502,
          retryable: true,
          message: `Provider "${this.provider}" stopped the stream with finish_reason ${finishReason.raw}${detail}`,
          upstream: { provider: this.provider, ...(typeof delta.error === 'string' ? { message: delta.error } : {}) },
        }),
      });
      return;
    }
    this.finished = true;
    emit({ type: 'finish', finishReason });
  }

  private streamError(event: Record<string, unknown>): GatewayError {
    const status = typeof event.status_code === 'number' ? event.status_code : typeof event.code === 'number' ? event.code : 500;
    const mapped = mapCohereError(this.provider, status, {}, JSON.stringify(event));
    return new GatewayError({
      code: mapped.code === 'upstream_error' ? 'stream_error' : mapped.code,
      status: mapped.status,
      retryable: mapped.retryable,
      message: mapped.message,
      ...(mapped.upstream === undefined ? {} : { upstream: mapped.upstream }),
    });
  }

  private fail(emit: EmitEvent, error: GatewayError): void {
    this.closeAll(emit);
    this.failed = true;
    emit({ type: 'error', error });
  }
}
