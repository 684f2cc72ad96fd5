import type { StreamEvent } from '../../core/index.js';
import type { GatewayError } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { convertResponsesUsage } from './convert-responses-usage.js';
import { responseExtras } from './decode-responses-response.js';
import { convertResponsesAnnotation, convertResponsesLogprobs, type BuiltinOutputItem } from './decode-responses-output.js';
import { mapResponsesErrorObject } from './map-responses-error.js';
import { mapResponsesFinishReason } from './map-responses-finish-reason.js';
import { RESPONSES_FAMILY } from './responses-family.js';
import { malformedStreamEvent, streamEndedEarly } from '../shared/stream-errors.js';

type Json = Record<string, unknown>;

type ItemState =
  | { kind: 'message'; texts: Map<number, { id: string; open: boolean }> }
  | { kind: 'reasoning'; id: string; itemId: string | undefined; open: boolean; hasText: boolean }
  | { kind: 'call'; callId: string; name: string; itemId: string | undefined; custom: boolean; args: string; open: boolean }
  | { kind: 'builtin' };

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * OpenAI Responses stream → canonical events. The documented sequence is
 * response.created → response.in_progress → (output_item.added → content_part.added →
 * output_text.delta* → output_text.done → content_part.done → output_item.done)* →
 * response.completed | response.incomplete | response.failed; reasoning items stream their summary
 * (reasoning_summary_part.added, reasoning_summary_text.delta), function calls their arguments
 * (function_call_arguments.delta), custom tools their input (custom_tool_call_input.delta).
 * Usage arrives only with the final response. A failure inside an HTTP-200 stream is an `error`
 * event (then response.failed). Items are found by output_index, or by item_id when an event
 * lacks it. https://platform.openai.com/docs/api-reference/responses-streaming
 */
export class ResponsesStreamDecoder implements StreamDecoder<SseEvent> {
  private readonly provider: string;
  private readonly items = new Map<number, ItemState>();
  private readonly indexById = new Map<string, number>();
  private readonly builtinItems: BuiltinOutputItem[] = [];
  private metadataSent = false;
  private finished = false;
  private failed = false;
  private calledTools = false;

  constructor(provider: string) {
    this.provider = provider;
  }

  push(frame: SseEvent, emit: EmitEvent): void {
    if (this.failed || this.finished) return;
    const data = tryParseJson(frame.data);
    if (!isRecord(data)) {
      if (frame.data.trim() === '' || frame.data === '[DONE]') return;
      this.fail(emit, malformedStreamEvent(this.provider, frame.data));
      return;
    }
    const type = typeof data.type === 'string' ? data.type : frame.event;
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        this.metadata(data.response, emit);
        break;
      case 'response.output_item.added':
        this.itemAdded(data, emit);
        break;
      case 'response.output_item.done':
        this.itemDone(data, emit);
        break;
      case 'response.content_part.added':
        if (isRecord(data.part) && data.part.type === 'output_text') this.openText(data, emit);
        break;
      case 'response.content_part.done':
        this.closeText(data, emit);
        break;
      case 'response.output_text.delta':
        if (typeof data.delta === 'string') {
          const id = this.openText(data, emit);
          if (data.delta !== '') emit({ type: 'text-delta', id, delta: data.delta });
          const logprobs = convertResponsesLogprobs(data.logprobs);
          if (logprobs !== undefined) emit({ type: 'logprobs', content: logprobs });
        }
        break;
      case 'response.output_text.annotation.added': {
        const citation = convertResponsesAnnotation(data.annotation);
        if (citation !== undefined) emit({ type: 'citation', id: this.openText(data, emit), citation });
        break;
      }
      case 'response.refusal.delta':
        if (typeof data.delta === 'string' && data.delta !== '') emit({ type: 'refusal-delta', delta: data.delta });
        break;
      case 'response.reasoning_summary_part.added': {
        const state = this.reasoning(data, emit);
        if (state.hasText) emit({ type: 'reasoning-delta', id: state.id, delta: '\n\n' });
        break;
      }
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        if (typeof data.delta === 'string' && data.delta !== '') {
          const state = this.reasoning(data, emit);
          state.hasText = true;
          emit({ type: 'reasoning-delta', id: state.id, delta: data.delta });
        }
        break;
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta': {
        const state = this.find(data);
        if (state?.kind === 'call' && typeof data.delta === 'string' && data.delta !== '') {
          state.args += data.delta;
          emit({ type: 'tool-input-delta', id: state.callId, delta: data.delta });
        }
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
        this.complete(data.response, emit);
        break;
      case 'response.failed': {
        const response = isRecord(data.response) ? data.response : {};
        this.fail(emit, mapResponsesErrorObject(this.provider, response.error ?? { code: 'server_error', message: 'The response failed' }));
        break;
      }
      case 'error':
        this.fail(emit, mapResponsesErrorObject(this.provider, isRecord(data.error) ? data.error : data));
        break;
      default:
        // Built-in tool progress events (web_search_call.searching, code_interpreter_call_code.delta,
        // ...): their result arrives complete in output_item.done.
        break;
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

  private metadata(response: unknown, emit: EmitEvent): void {
    if (this.metadataSent || !isRecord(response)) return;
    this.metadataSent = true;
    const event: StreamEvent = { type: 'response-metadata' };
    if (typeof response.id === 'string') event.id = response.id;
    if (typeof response.model === 'string') event.model = response.model;
    if (typeof response.created_at === 'number') event.created = response.created_at;
    emit(event);
  }

  private index(data: Json): number | undefined {
    const index = num(data.output_index);
    if (index !== undefined) return index;
    return typeof data.item_id === 'string' ? this.indexById.get(data.item_id) : undefined;
  }

  private find(data: Json): ItemState | undefined {
    const index = this.index(data);
    return index === undefined ? undefined : this.items.get(index);
  }

  private itemAdded(data: Json, emit: EmitEvent): void {
    const item = isRecord(data.item) ? data.item : {};
    const index = num(data.output_index) ?? this.items.size;
    const itemId = typeof item.id === 'string' ? item.id : undefined;
    if (itemId !== undefined) this.indexById.set(itemId, index);
    switch (item.type) {
      case 'message':
        this.items.set(index, { kind: 'message', texts: new Map() });
        break;
      case 'reasoning': {
        const id = itemId ?? `reasoning-${index}`;
        this.items.set(index, { kind: 'reasoning', id, itemId, open: true, hasText: false });
        emit({ type: 'reasoning-start', id });
        break;
      }
      case 'function_call':
      case 'custom_tool_call': {
        const custom = item.type === 'custom_tool_call';
        const callId = typeof item.call_id === 'string' ? item.call_id : itemId ?? `call_${index}`;
        const name = typeof item.name === 'string' ? item.name : '';
        const own: Json = {};
        if (itemId !== undefined) own.itemId = itemId;
        if (custom) own.custom = true;
        this.items.set(index, { kind: 'call', callId, name, itemId, custom, args: '', open: true });
        this.calledTools = true;
        emit({ type: 'tool-input-start', id: callId, name, providerMetadata: { [RESPONSES_FAMILY]: own } });
        const initial = custom ? item.input : item.arguments;
        if (typeof initial === 'string' && initial !== '') {
          (this.items.get(index) as { args: string }).args = initial;
          emit({ type: 'tool-input-delta', id: callId, delta: initial });
        }
        break;
      }
      default:
        this.items.set(index, { kind: 'builtin' });
    }
  }

  private itemDone(data: Json, emit: EmitEvent): void {
    const item = isRecord(data.item) ? data.item : {};
    const index = num(data.output_index) ?? (typeof item.id === 'string' ? this.indexById.get(item.id) : undefined);
    let state = index === undefined ? undefined : this.items.get(index);
    if (state === undefined && index !== undefined) {
      // An item that was never announced: treat its done event as added + done.
      this.itemAdded({ output_index: index, item }, emit);
      state = this.items.get(index);
    }
    if (state === undefined) return;
    switch (state.kind) {
      case 'message':
        for (const text of state.texts.values()) this.endText(text, emit);
        break;
      case 'reasoning':
        this.endReasoning(state, emit, typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined);
        break;
      case 'call': {
        const final = state.custom ? item.input : item.arguments;
        if (typeof final === 'string' && state.args === '' && final !== '') {
          state.args = final;
          emit({ type: 'tool-input-delta', id: state.callId, delta: final });
        } else if (typeof final === 'string') {
          state.args = final;
        }
        this.endCall(state, emit);
        break;
      }
      case 'builtin':
        if (index !== undefined) this.builtinItems.push({ outputIndex: index, item });
        break;
    }
  }

  private openText(data: Json, emit: EmitEvent): string {
    const index = this.index(data) ?? 0;
    let state = this.items.get(index);
    if (state === undefined || state.kind !== 'message') {
      state = { kind: 'message', texts: new Map() };
      this.items.set(index, state);
    }
    const contentIndex = num(data.content_index) ?? 0;
    let text = state.texts.get(contentIndex);
    if (text === undefined) {
      text = { id: `text-${index}-${contentIndex}`, open: true };
      state.texts.set(contentIndex, text);
      emit({ type: 'text-start', id: text.id });
    }
    return text.id;
  }

  private closeText(data: Json, emit: EmitEvent): void {
    const state = this.find(data);
    if (state?.kind !== 'message') return;
    const text = state.texts.get(num(data.content_index) ?? 0);
    if (text !== undefined) this.endText(text, emit);
  }

  private endText(text: { id: string; open: boolean }, emit: EmitEvent): void {
    if (!text.open) return;
    text.open = false;
    emit({ type: 'text-end', id: text.id });
  }

  private reasoning(data: Json, emit: EmitEvent): Extract<ItemState, { kind: 'reasoning' }> {
    const state = this.find(data);
    if (state?.kind === 'reasoning') return state;
    const index = this.index(data) ?? this.items.size;
    const itemId = typeof data.item_id === 'string' ? data.item_id : undefined;
    const created: Extract<ItemState, { kind: 'reasoning' }> = { kind: 'reasoning', id: itemId ?? `reasoning-${index}`, itemId, open: true, hasText: false };
    this.items.set(index, created);
    emit({ type: 'reasoning-start', id: created.id });
    return created;
  }

  private endReasoning(state: Extract<ItemState, { kind: 'reasoning' }>, emit: EmitEvent, encrypted?: string): void {
    if (!state.open) return;
    state.open = false;
    const own: Json = {};
    if (state.itemId !== undefined) own.itemId = state.itemId;
    emit({ type: 'reasoning-end', id: state.id, ...(encrypted === undefined ? {} : { redactedData: encrypted }), providerMetadata: { [RESPONSES_FAMILY]: own } });
  }

  private endCall(state: Extract<ItemState, { kind: 'call' }>, emit: EmitEvent): void {
    if (!state.open) return;
    state.open = false;
    const own: Json = {};
    if (state.itemId !== undefined) own.itemId = state.itemId;
    if (state.custom) own.custom = true;
    emit({ type: 'tool-input-end', id: state.callId });
    emit({ type: 'tool-call', id: state.callId, name: state.name, arguments: state.args, providerMetadata: { [RESPONSES_FAMILY]: own } });
  }

  private closeAll(emit: EmitEvent): void {
    for (const state of this.items.values()) {
      if (state.kind === 'message') for (const text of state.texts.values()) this.endText(text, emit);
      else if (state.kind === 'reasoning') this.endReasoning(state, emit);
      else if (state.kind === 'call') this.endCall(state, emit);
    }
  }

  private complete(response: unknown, emit: EmitEvent): void {
    const body = isRecord(response) ? response : {};
    this.metadata(body, emit);
    this.closeAll(emit);
    this.finished = true;
    const usage = convertResponsesUsage(body.usage);
    if (usage !== undefined) emit({ type: 'usage', usage });
    const details = isRecord(body.incomplete_details) ? body.incomplete_details : undefined;
    const own: Json = { ...responseExtras(body) };
    if (this.builtinItems.length > 0) own.builtinItems = this.builtinItems;
    emit({
      type: 'finish',
      finishReason: mapResponsesFinishReason(body.status ?? 'completed', details?.reason, this.calledTools),
      providerMetadata: { [RESPONSES_FAMILY]: own },
    });
  }

  private fail(emit: EmitEvent, error: GatewayError): void {
    this.closeAll(emit);
    this.failed = true;
    emit({ type: 'error', error });
  }
}
