import type { StreamEvent } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { convertAnthropicCitation } from './convert-anthropic-citation.js';
import { convertAnthropicUsage, mergeAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicError, statusForAnthropicErrorType } from './map-anthropic-error.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { malformedStreamEvent, streamEndedEarly } from '../shared/stream-errors.js';

type Json = Record<string, unknown>;

const MESSAGE_FIELDS = new Set(['id', 'type', 'role', 'model', 'content', 'stop_reason', 'stop_sequence', 'usage']);

/** State of one open content block, by its Anthropic index. */
type Block =
  | { kind: 'text'; id: string }
  | { kind: 'reasoning'; id: string }
  | { kind: 'tool'; id: string; name: string; input: string; initial: unknown }
  /** The emulated structured-output tool: its input JSON is streamed as text. */
  | { kind: 'structured'; id: string }
  /** A block with no canonical form (server_tool_use, web_search_tool_result, ...), kept verbatim. */
  | { kind: 'opaque'; id: string; block: Json; input: string };

/**
 * Anthropic Messages stream → canonical events. The event sequence is message_start,
 * (content_block_start, content_block_delta*, content_block_stop)*, message_delta (stop reason
 * and cumulative usage), message_stop, with `ping` anywhere and `error` possible at any point.
 * Blocks map one to one: text (with citations_delta → citation events), thinking
 * (thinking_delta, then signature_delta → reasoning-signature), redacted_thinking (data in the
 * start event), tool_use (input_json_delta fragments). Usage is merged across message_start and
 * message_delta, since Anthropic splits it. Unknown event and block types are tolerated.
 */
export class AnthropicStreamDecoder implements StreamDecoder<SseEvent> {
  private readonly provider: string;
  private readonly structuredTool: string | undefined;
  private readonly blocks = new Map<number, Block>();
  private usage: Json | undefined;
  private finished = false;
  private stopped = false;
  private failed = false;

  constructor(provider: string, structuredTool?: string) {
    this.provider = provider;
    this.structuredTool = structuredTool;
  }

  push(frame: SseEvent, emit: EmitEvent): void {
    if (this.failed) return;
    const chunk = tryParseJson(frame.data);
    if (!isRecord(chunk)) {
      if (frame.data.trim() === '') return;
      this.fail(emit, malformedStreamEvent(this.provider, frame.data));
      return;
    }
    const type = typeof chunk.type === 'string' ? chunk.type : frame.event;
    switch (type) {
      case 'message_start':
        this.messageStart(chunk, emit);
        break;
      case 'content_block_start':
        this.blockStart(chunk, emit);
        break;
      case 'content_block_delta':
        this.blockDelta(chunk, emit);
        break;
      case 'content_block_stop':
        if (typeof chunk.index === 'number') this.blockStop(chunk.index, emit);
        break;
      case 'message_delta':
        this.messageDelta(chunk, emit);
        break;
      case 'message_stop':
        this.stopped = true;
        break;
      case 'error':
        this.fail(emit, this.streamError(chunk));
        break;
      default:
        // ping and event types added later carry nothing to decode.
        break;
    }
  }

  end(emit: EmitEvent): void {
    if (this.failed) return;
    const complete = this.finished && this.stopped;
    this.closeAll(emit, complete);
    if (!complete) {
      emit({
        type: 'error',
        error: streamEndedEarly(this.provider, 'message_stop'),
      });
    }
  }

  private messageStart(chunk: Json, emit: EmitEvent): void {
    const message = isRecord(chunk.message) ? chunk.message : {};
    const event: StreamEvent = { type: 'response-metadata' };
    if (typeof message.id === 'string') event.id = message.id;
    if (typeof message.model === 'string') event.model = message.model;
    let extras: Json | undefined;
    for (const key in message) if (!MESSAGE_FIELDS.has(key) && message[key] !== null) (extras ??= {})[key] = message[key];
    if (extras !== undefined) event.providerMetadata = { anthropic: extras };
    emit(event);
    if (isRecord(message.usage)) this.updateUsage(message.usage, emit);
  }

  private updateUsage(update: Json, emit: EmitEvent): void {
    this.usage = mergeAnthropicUsage(this.usage, update);
    const usage = convertAnthropicUsage(this.usage);
    if (usage !== undefined) emit({ type: 'usage', usage });
  }

  private blockStart(chunk: Json, emit: EmitEvent): void {
    const index = typeof chunk.index === 'number' ? chunk.index : this.blocks.size;
    const block = isRecord(chunk.content_block) ? chunk.content_block : {};
    if (this.blocks.has(index)) this.blockStop(index, emit);
    switch (block.type) {
      case 'text': {
        const id = `text-${index}`;
        this.blocks.set(index, { kind: 'text', id });
        emit({ type: 'text-start', id });
        if (Array.isArray(block.citations)) for (const item of block.citations) this.citation(id, item, emit);
        if (typeof block.text === 'string' && block.text !== '') emit({ type: 'text-delta', id, delta: block.text });
        break;
      }
      case 'thinking': {
        const id = `reasoning-${index}`;
        this.blocks.set(index, { kind: 'reasoning', id });
        emit({ type: 'reasoning-start', id });
        if (typeof block.thinking === 'string' && block.thinking !== '') emit({ type: 'reasoning-delta', id, delta: block.thinking });
        if (typeof block.signature === 'string' && block.signature !== '') emit({ type: 'reasoning-signature', id, signature: block.signature });
        break;
      }
      case 'redacted_thinking': {
        const id = `reasoning-${index}`;
        this.blocks.set(index, { kind: 'reasoning', id });
        emit({ type: 'reasoning-start', id, redactedData: typeof block.data === 'string' ? block.data : '' });
        break;
      }
      case 'tool_use': {
        const name = typeof block.name === 'string' ? block.name : '';
        if (this.structuredTool !== undefined && name === this.structuredTool) {
          const id = `text-${index}`;
          this.blocks.set(index, { kind: 'structured', id });
          emit({ type: 'text-start', id });
          break;
        }
        const id = typeof block.id === 'string' && block.id !== '' ? block.id : `toolu_${index}`;
        this.blocks.set(index, { kind: 'tool', id, name, input: '', initial: block.input });
        emit({ type: 'tool-input-start', id, name });
        break;
      }
      default:
        this.blocks.set(index, { kind: 'opaque', id: `block-${index}`, block, input: '' });
        break;
    }
  }

  private citation(id: string, value: unknown, emit: EmitEvent): void {
    const citation = convertAnthropicCitation(value);
    if (citation !== undefined) emit({ type: 'citation', id, citation });
  }

  private blockDelta(chunk: Json, emit: EmitEvent): void {
    const index = typeof chunk.index === 'number' ? chunk.index : -1;
    const block = this.blocks.get(index);
    const delta = isRecord(chunk.delta) ? chunk.delta : {};
    if (block === undefined) return;
    switch (delta.type) {
      case 'text_delta':
        if (block.kind === 'text' && typeof delta.text === 'string' && delta.text !== '') emit({ type: 'text-delta', id: block.id, delta: delta.text });
        break;
      case 'citations_delta':
        if (block.kind === 'text') this.citation(block.id, delta.citation, emit);
        break;
      case 'thinking_delta':
        if (block.kind === 'reasoning' && typeof delta.thinking === 'string' && delta.thinking !== '') {
          emit({ type: 'reasoning-delta', id: block.id, delta: delta.thinking });
        }
        break;
      case 'signature_delta':
        if (block.kind === 'reasoning' && typeof delta.signature === 'string') emit({ type: 'reasoning-signature', id: block.id, signature: delta.signature });
        break;
      case 'input_json_delta': {
        const fragment = typeof delta.partial_json === 'string' ? delta.partial_json : '';
        if (fragment === '') break;
        if (block.kind === 'tool') {
          block.input += fragment;
          emit({ type: 'tool-input-delta', id: block.id, delta: fragment });
        } else if (block.kind === 'structured') {
          emit({ type: 'text-delta', id: block.id, delta: fragment });
        } else if (block.kind === 'opaque') {
          block.input += fragment;
        }
        break;
      }
      default:
        break;
    }
  }

  /** Close a block; `complete` is false when the stream failed (no tool-call for cut-off input). */
  private blockStop(index: number, emit: EmitEvent, complete = true): void {
    const block = this.blocks.get(index);
    if (block === undefined) return;
    this.blocks.delete(index);
    switch (block.kind) {
      case 'text':
      case 'structured':
        emit({ type: 'text-end', id: block.id });
        break;
      case 'reasoning':
        emit({ type: 'reasoning-end', id: block.id });
        break;
      case 'tool': {
        const args = block.input !== '' ? block.input : JSON.stringify(isRecord(block.initial) ? block.initial : {});
        emit({ type: 'tool-input-end', id: block.id });
        if (complete) emit({ type: 'tool-call', id: block.id, name: block.name, arguments: args });
        break;
      }
      case 'opaque': {
        if (!complete) break;
        // The whole block (with its streamed input parsed) rides on an empty text block.
        const whole: Json = { ...block.block };
        if (block.input !== '') {
          const input = tryParseJson(block.input);
          whole.input = input === undefined ? block.input : input;
        }
        emit({ type: 'text-start', id: block.id });
        emit({ type: 'text-end', id: block.id, providerMetadata: { anthropic: { block: whole } } });
        break;
      }
    }
  }

  private closeAll(emit: EmitEvent, complete = true): void {
    for (const index of [...this.blocks.keys()]) this.blockStop(index, emit, complete);
  }

  private messageDelta(chunk: Json, emit: EmitEvent): void {
    this.closeAll(emit);
    if (isRecord(chunk.usage)) this.updateUsage(chunk.usage, emit);
    const delta = isRecord(chunk.delta) ? chunk.delta : {};
    if (delta.stop_reason === undefined || delta.stop_reason === null || this.finished) return;
    this.finished = true;
    let finishReason = mapAnthropicStopReason(delta.stop_reason);
    if (this.structuredTool !== undefined && finishReason.unified === 'tool-calls') finishReason = { unified: 'stop', raw: finishReason.raw! };
    let extras: Json | undefined;
    for (const key in delta) if (key !== 'stop_reason' && delta[key] !== null) (extras ??= {})[key] = delta[key];
    emit(extras === undefined ? { type: 'finish', finishReason } : { type: 'finish', finishReason, providerMetadata: { anthropic: extras } });
  }

  private streamError(chunk: Json): GatewayError {
    const error = isRecord(chunk.error) ? chunk.error : {};
    const type = typeof error.type === 'string' ? error.type : undefined;
    const mapped = mapAnthropicError(this.provider, statusForAnthropicErrorType(type), {}, JSON.stringify(chunk));
    return new GatewayError({
      code: mapped.code === 'upstream_error' ? 'stream_error' : mapped.code,
      status: mapped.status,
      retryable: mapped.retryable,
      message: mapped.message,
      ...(mapped.upstream === undefined ? {} : { upstream: mapped.upstream }),
    });
  }

  private fail(emit: EmitEvent, error: GatewayError): void {
    this.closeAll(emit, false);
    this.failed = true;
    emit({ type: 'error', error });
  }
}
