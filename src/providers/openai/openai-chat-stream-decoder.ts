import type { FinishReason, StreamEvent } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { convertOpenAiLogprobs } from './convert-openai-logprobs.js';
import { convertOpenAiUsage } from './convert-openai-usage.js';
import { convertOpenAiAnnotations, thinkingText } from './decode-openai-chat-response.js';
import { mapOpenAiError } from './map-openai-error.js';
import { mapOpenAiFinishReason } from './map-openai-finish-reason.js';
import { malformedStreamEvent, streamEndedEarly } from '../shared/stream-errors.js';

const METADATA_SKIP = new Set(['id', 'object', 'created', 'model', 'choices', 'usage', 'obfuscation', 'x_groq']);

interface ToolState {
  id: string;
  name: string;
  arguments: string;
  open: boolean;
}

/** Per-choice block state. */
interface ChoiceState {
  textId: string | undefined;
  reasoningId: string | undefined;
  blocks: number;
  tools: Map<number, ToolState>;
  finished: boolean;
}

/**
 * OpenAI chat.completion.chunk stream → canonical events. Tolerates what OpenAI-compatible
 * vendors do differently: reasoning in `reasoning_content` or `reasoning`, Mistral content
 * arrays with thinking chunks, whole tool calls in one chunk, tool calls without `index`,
 * usage in `x_groq.usage`, repeated finish_reason chunks (OpenRouter), and error objects sent
 * as stream data or as `event: error` (Groq, OpenRouter).
 */
export class OpenAiChatStreamDecoder implements StreamDecoder<SseEvent> {
  private readonly provider: string;
  private readonly choices = new Map<number, ChoiceState>();
  private metadataSent = false;
  private sawFinish = false;
  private failed = false;
  private toolCounter = 0;

  constructor(provider: string) {
    this.provider = provider;
  }

  push(frame: SseEvent, emit: EmitEvent): void {
    const data = frame.data;
    if (data === '[DONE]' || this.failed) return;
    const chunk = tryParseJson(data);
    if (!isRecord(chunk)) {
      if (data.trim() === '') return;
      this.fail(emit, malformedStreamEvent(this.provider, data));
      return;
    }
    if (frame.event === 'error' || (chunk.error !== undefined && chunk.error !== null)) {
      this.usage(chunk, emit);
      this.fail(emit, this.streamError(chunk));
      return;
    }
    if (!this.metadataSent) {
      this.metadataSent = true;
      const event: StreamEvent = { type: 'response-metadata' };
      if (typeof chunk.id === 'string') event.id = chunk.id;
      if (typeof chunk.model === 'string') event.model = chunk.model;
      if (typeof chunk.created === 'number') event.created = chunk.created;
      let extras: Record<string, unknown> | undefined;
      for (const key in chunk) if (!METADATA_SKIP.has(key)) (extras ??= {})[key] = chunk[key];
      if (extras !== undefined) event.providerMetadata = { openai: extras };
      emit(event);
    }
    if (Array.isArray(chunk.choices)) {
      for (let position = 0; position < chunk.choices.length; position++) {
        const choice = chunk.choices[position];
        if (isRecord(choice)) this.choice(choice, position, emit);
      }
    }
    this.usage(chunk, emit);
  }

  private usage(chunk: Record<string, unknown>, emit: EmitEvent): void {
    const usage = chunk.usage ?? (isRecord(chunk.x_groq) ? chunk.x_groq.usage : undefined);
    if (isRecord(usage)) {
      const converted = convertOpenAiUsage(usage);
      if (converted !== undefined) emit({ type: 'usage', usage: converted });
    }
  }

  end(emit: EmitEvent): void {
    if (this.failed) return;
    for (const [index, state] of this.choices) this.closeBlocks(state, index, emit);
    if (!this.sawFinish) {
      emit({
        type: 'error',
        error: streamEndedEarly(this.provider),
      });
    }
  }

  private streamError(chunk: Record<string, unknown>): GatewayError {
    const error = isRecord(chunk.error) ? chunk.error : chunk;
    const status =
      typeof error.status_code === 'number' ? error.status_code : typeof error.code === 'number' && error.code >= 400 ? error.code : 500;
    const mapped = mapOpenAiError(this.provider, status, {}, JSON.stringify({ error }));
    return new GatewayError({
      code: mapped.code === 'upstream_error' ? 'stream_error' : mapped.code,
      status: mapped.status,
      retryable: mapped.retryable,
      message: mapped.message,
      ...(mapped.upstream === undefined ? {} : { upstream: mapped.upstream }),
    });
  }

  private fail(emit: EmitEvent, error: GatewayError): void {
    for (const [index, state] of this.choices) this.closeBlocks(state, index, emit);
    this.failed = true;
    emit({ type: 'error', error });
  }

  private state(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (state === undefined) {
      state = { textId: undefined, reasoningId: undefined, blocks: 0, tools: new Map(), finished: false };
      this.choices.set(index, state);
    }
    return state;
  }

  private choice(choice: Record<string, unknown>, position: number, emit: EmitEvent): void {
    const index = typeof choice.index === 'number' ? choice.index : position;
    const state = this.state(index);
    const tag = index === 0 ? undefined : index;
    const delta = isRecord(choice.delta) ? choice.delta : undefined;
    if (delta !== undefined && !state.finished) {
      const reasoning =
        typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : undefined;
      if (reasoning !== undefined && reasoning !== '') this.reasoning(state, tag, reasoning, emit);
      const content = delta.content;
      if (typeof content === 'string') {
        if (content !== '') this.text(state, tag, content, emit);
      } else if (Array.isArray(content)) {
        for (const item of content) {
          if (!isRecord(item)) continue;
          if (item.type === 'thinking') {
            const text = thinkingText(item.thinking);
            if (text !== '') this.reasoning(state, tag, text, emit);
          } else if (item.type === 'text' && typeof item.text === 'string' && item.text !== '') {
            this.text(state, tag, item.text, emit);
          }
        }
      }
      if (typeof delta.refusal === 'string' && delta.refusal !== '') {
        emit(tag === undefined ? { type: 'refusal-delta', delta: delta.refusal } : { type: 'refusal-delta', delta: delta.refusal, choice: tag });
      }
      const citations = convertOpenAiAnnotations(delta.annotations);
      if (citations !== undefined) {
        const id = state.textId ?? this.openText(state, tag, emit);
        for (const citation of citations) emit(withChoice({ type: 'citation', id, citation }, tag));
      }
      if (Array.isArray(delta.tool_calls)) {
        for (let position = 0; position < delta.tool_calls.length; position++) {
          const call = delta.tool_calls[position];
          if (isRecord(call)) this.toolCall(state, tag, call, position, emit);
        }
      }
    }
    const logprobs = convertOpenAiLogprobs(choice.logprobs);
    if (logprobs !== undefined && (logprobs.content?.length || logprobs.refusal?.length)) {
      emit(withChoice({ type: 'logprobs', ...logprobs }, tag));
    }
    if (typeof choice.finish_reason === 'string' && !state.finished) {
      state.finished = true;
      this.sawFinish = true;
      this.closeBlocks(state, index, emit);
      const finishReason: FinishReason = mapOpenAiFinishReason(choice.finish_reason);
      emit(withChoice({ type: 'finish', finishReason }, tag));
    }
  }

  private openText(state: ChoiceState, tag: number | undefined, emit: EmitEvent): string {
    const id = `text-${tag ?? 0}-${state.blocks++}`;
    state.textId = id;
    emit(withChoice({ type: 'text-start', id }, tag));
    return id;
  }

  private text(state: ChoiceState, tag: number | undefined, delta: string, emit: EmitEvent): void {
    if (state.reasoningId !== undefined) {
      emit(withChoice({ type: 'reasoning-end', id: state.reasoningId }, tag));
      state.reasoningId = undefined;
    }
    const id = state.textId ?? this.openText(state, tag, emit);
    emit(withChoice({ type: 'text-delta', id, delta }, tag));
  }

  private reasoning(state: ChoiceState, tag: number | undefined, delta: string, emit: EmitEvent): void {
    if (state.textId !== undefined) {
      emit(withChoice({ type: 'text-end', id: state.textId }, tag));
      state.textId = undefined;
    }
    let id = state.reasoningId;
    if (id === undefined) {
      id = `reasoning-${tag ?? 0}-${state.blocks++}`;
      state.reasoningId = id;
      emit(withChoice({ type: 'reasoning-start', id }, tag));
    }
    emit(withChoice({ type: 'reasoning-delta', id, delta }, tag));
  }

  private toolCall(state: ChoiceState, tag: number | undefined, call: Record<string, unknown>, position: number, emit: EmitEvent): void {
    const index = typeof call.index === 'number' ? call.index : position;
    const fn = isRecord(call.function) ? call.function : {};
    const args = typeof fn.arguments === 'string' ? fn.arguments : fn.arguments === undefined || fn.arguments === null ? '' : JSON.stringify(fn.arguments);
    let tool = state.tools.get(index);
    if (tool === undefined) {
      if (state.textId !== undefined) {
        emit(withChoice({ type: 'text-end', id: state.textId }, tag));
        state.textId = undefined;
      }
      if (state.reasoningId !== undefined) {
        emit(withChoice({ type: 'reasoning-end', id: state.reasoningId }, tag));
        state.reasoningId = undefined;
      }
      const id = typeof call.id === 'string' && call.id !== '' ? call.id : `call_${this.toolCounter++}`;
      tool = { id, name: typeof fn.name === 'string' ? fn.name : '', arguments: '', open: true };
      state.tools.set(index, tool);
      emit(withChoice({ type: 'tool-input-start', id: tool.id, name: tool.name }, tag));
    }
    if (args !== '') {
      tool.arguments += args;
      emit(withChoice({ type: 'tool-input-delta', id: tool.id, delta: args }, tag));
    }
  }

  private closeBlocks(state: ChoiceState, index: number, emit: EmitEvent): void {
    const tag = index === 0 ? undefined : index;
    if (state.reasoningId !== undefined) {
      emit(withChoice({ type: 'reasoning-end', id: state.reasoningId }, tag));
      state.reasoningId = undefined;
    }
    if (state.textId !== undefined) {
      emit(withChoice({ type: 'text-end', id: state.textId }, tag));
      state.textId = undefined;
    }
    for (const tool of state.tools.values()) {
      if (!tool.open) continue;
      tool.open = false;
      emit(withChoice({ type: 'tool-input-end', id: tool.id }, tag));
      emit(withChoice({ type: 'tool-call', id: tool.id, name: tool.name, arguments: tool.arguments }, tag));
    }
  }
}

function withChoice<T extends StreamEvent>(event: T, choice: number | undefined): T {
  if (choice !== undefined) event.choice = choice;
  return event;
}
