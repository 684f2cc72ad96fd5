import type { ProviderMetadata, StreamEvent } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { convertGeminiCitations } from './convert-gemini-citations.js';
import { convertGeminiLogprobs } from './convert-gemini-logprobs.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import { createdFromTime } from './decode-gemini-response.js';
import type { GeminiFunctionCall, GeminiPart } from './gemini-wire.js';
import { mapGeminiError } from './map-gemini-error.js';
import { mapGeminiBlockReason, mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { PartialArgsJsonWriter } from './partial-args-json-writer.js';
import { encodeToolCallId, newToolCallId } from './thought-signature-tool-call-id.js';
import { malformedStreamEvent, streamEndedEarly } from '../shared/stream-errors.js';

type Json = Record<string, unknown>;

interface StreamingTool {
  id: string;
  name: string;
  writer: PartialArgsJsonWriter;
  providerMetadata: ProviderMetadata | undefined;
}

interface CandidateState {
  tag: number | undefined;
  textId: string | undefined;
  reasoningId: string | undefined;
  blocks: number;
  toolCalls: number;
  streamingTool: StreamingTool | undefined;
  otherParts: unknown[];
  citations: Set<string>;
  lastSafetyRatings: unknown;
  finished: boolean;
}

const FINISH_METADATA = ['safetyRatings', 'finishMessage', 'citationMetadata', 'groundingMetadata', 'urlContextMetadata', 'avgLogprobs'];

function withChoice<T extends StreamEvent>(event: T, choice: number | undefined): T {
  if (choice !== undefined) event.choice = choice;
  return event;
}

/**
 * streamGenerateContent (alt=sse) → canonical events. Every Gemini chunk is a whole
 * GenerateContentResponse: parts are appended to open blocks (thought text → reasoning, text →
 * text), function calls arrive whole and are emitted as one start/delta/end/call run, Vertex
 * streamFunctionCallArguments (`willContinue` + `partialArgs`) stream as argument deltas, usage
 * repeats on every chunk (the last wins), and finishReason on the last chunk of a candidate
 * closes it. An `{"error": ...}` chunk is a mid-stream error.
 */
export class GeminiStreamDecoder implements StreamDecoder<SseEvent> {
  private readonly provider: string;
  private readonly generateId: () => string;
  private readonly candidates = new Map<number, CandidateState>();
  private metadataSent = false;
  private sawFinish = false;
  private failed = false;

  constructor(provider: string, generateId: () => string = newToolCallId) {
    this.provider = provider;
    this.generateId = generateId;
  }

  push(frame: SseEvent, emit: EmitEvent): void {
    if (this.failed) return;
    const data = frame.data;
    const chunk = tryParseJson(data);
    if (!isRecord(chunk)) {
      if (data.trim() === '' || data === '[DONE]') return;
      this.fail(emit, malformedStreamEvent(this.provider, data));
      return;
    }
    if (isRecord(chunk.error)) {
      const status = typeof chunk.error.code === 'number' ? chunk.error.code : 500;
      const mapped = mapGeminiError(this.provider, status, {}, data);
      this.fail(emit, new GatewayError({
        code: mapped.code === 'upstream_error' ? 'stream_error' : mapped.code,
        status: mapped.status,
        retryable: mapped.retryable,
        message: mapped.message,
        ...(mapped.retryAfterMs === undefined ? {} : { retryAfterMs: mapped.retryAfterMs }),
        ...(mapped.upstream === undefined ? {} : { upstream: mapped.upstream }),
      }));
      return;
    }
    if (!this.metadataSent) {
      this.metadataSent = true;
      const event: StreamEvent = { type: 'response-metadata' };
      if (typeof chunk.responseId === 'string') event.id = chunk.responseId;
      if (typeof chunk.modelVersion === 'string') event.model = chunk.modelVersion;
      const created = createdFromTime(chunk.createTime);
      if (created !== undefined) event.created = created;
      emit(event);
    }
    const candidates = Array.isArray(chunk.candidates) ? chunk.candidates : [];
    candidates.forEach((candidate, position) => {
      if (isRecord(candidate)) this.candidate(candidate, position, emit);
    });
    if (candidates.length === 0 && isRecord(chunk.promptFeedback) && typeof chunk.promptFeedback.blockReason === 'string') {
      const state = this.state(0);
      if (!state.finished) {
        state.finished = true;
        this.sawFinish = true;
        emit({ type: 'finish', finishReason: mapGeminiBlockReason(chunk.promptFeedback.blockReason), providerMetadata: { gemini: { promptFeedback: chunk.promptFeedback } } });
      }
    }
    const usage = convertGeminiUsage(chunk.usageMetadata);
    if (usage !== undefined) emit({ type: 'usage', usage });
  }

  end(emit: EmitEvent): void {
    if (this.failed) return;
    for (const state of this.candidates.values()) this.closeBlocks(state, emit);
    if (!this.sawFinish) {
      emit({
        type: 'error',
        error: streamEndedEarly(this.provider),
      });
    }
  }

  private fail(emit: EmitEvent, error: GatewayError): void {
    for (const state of this.candidates.values()) this.closeBlocks(state, emit);
    this.failed = true;
    emit({ type: 'error', error });
  }

  private state(index: number): CandidateState {
    let state = this.candidates.get(index);
    if (state === undefined) {
      state = {
        tag: index === 0 ? undefined : index,
        textId: undefined,
        reasoningId: undefined,
        blocks: 0,
        toolCalls: 0,
        streamingTool: undefined,
        otherParts: [],
        citations: new Set(),
        lastSafetyRatings: undefined,
        finished: false,
      };
      this.candidates.set(index, state);
    }
    return state;
  }

  private candidate(candidate: Json, position: number, emit: EmitEvent): void {
    const index = typeof candidate.index === 'number' ? candidate.index : position;
    const state = this.state(index);
    if (state.finished) return;
    const content = isRecord(candidate.content) ? candidate.content : undefined;
    const parts = Array.isArray(content?.parts) ? content.parts : [];
    for (const part of parts) {
      if (isRecord(part)) this.part(state, part as GeminiPart, emit);
    }
    const citations = convertGeminiCitations(candidate);
    if (citations !== undefined) {
      for (const citation of citations) {
        const key = JSON.stringify(citation.raw);
        if (state.citations.has(key)) continue;
        state.citations.add(key);
        const id = state.textId ?? this.openText(state, emit);
        emit(withChoice({ type: 'citation', id, citation }, state.tag));
      }
    }
    const logprobs = convertGeminiLogprobs(candidate.logprobsResult);
    if (logprobs?.content?.length) emit(withChoice({ type: 'logprobs', ...logprobs }, state.tag));
    if (candidate.safetyRatings !== undefined) state.lastSafetyRatings = candidate.safetyRatings;
    if (typeof candidate.finishReason === 'string') {
      this.closeBlocks(state, emit);
      state.finished = true;
      this.sawFinish = true;
      const metadata: Json = {};
      for (const field of FINISH_METADATA) if (candidate[field] !== undefined) metadata[field] = candidate[field];
      if (metadata.safetyRatings === undefined && state.lastSafetyRatings !== undefined) metadata.safetyRatings = state.lastSafetyRatings;
      if (state.otherParts.length > 0) metadata.otherParts = state.otherParts;
      const event: StreamEvent = { type: 'finish', finishReason: mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0) };
      if (Object.keys(metadata).length > 0) event.providerMetadata = { gemini: metadata };
      emit(withChoice(event, state.tag));
    }
  }

  private part(state: CandidateState, part: GeminiPart, emit: EmitEvent): void {
    const signature = typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '' ? part.thoughtSignature : undefined;
    if (state.streamingTool !== undefined && !isRecord(part.functionCall)) this.finishStreamingTool(state, emit);
    if (typeof part.text === 'string') {
      if (part.thought === true) {
        this.closeText(state, emit);
        const id = state.reasoningId ?? this.openReasoning(state, emit);
        if (part.text !== '') emit(withChoice({ type: 'reasoning-delta', id, delta: part.text }, state.tag));
        if (signature !== undefined) emit(withChoice({ type: 'reasoning-signature', id, signature }, state.tag));
        return;
      }
      if (signature !== undefined) {
        // The signature belongs to this part: an empty signed reasoning block goes right before it.
        this.closeText(state, emit);
        this.closeReasoning(state, emit);
        const id = this.openReasoning(state, emit);
        emit(withChoice({ type: 'reasoning-signature', id, signature }, state.tag));
        this.closeReasoning(state, emit);
      }
      if (part.text === '') return;
      this.closeReasoning(state, emit);
      const id = state.textId ?? this.openText(state, emit);
      emit(withChoice({ type: 'text-delta', id, delta: part.text }, state.tag));
      return;
    }
    if (isRecord(part.functionCall)) {
      this.functionCall(state, part.functionCall as GeminiFunctionCall, signature, emit);
      return;
    }
    state.otherParts.push(part);
  }

  private functionCall(state: CandidateState, call: GeminiFunctionCall, signature: string | undefined, emit: EmitEvent): void {
    const streaming = state.streamingTool;
    const hasName = typeof call.name === 'string' && call.name !== '';
    if (streaming !== undefined && !(hasName && call.partialArgs === undefined)) {
      if (Array.isArray(call.partialArgs)) {
        const delta = streaming.writer.push(call.partialArgs);
        if (delta !== '') emit(withChoice({ type: 'tool-input-delta', id: streaming.id, delta }, state.tag));
      }
      if (call.willContinue !== true) this.finishStreamingTool(state, emit);
      return;
    }
    if (streaming !== undefined) this.finishStreamingTool(state, emit);
    if (!hasName) return;
    this.closeText(state, emit);
    this.closeReasoning(state, emit);
    const baseId = typeof call.id === 'string' && call.id !== '' ? call.id : this.generateId();
    const id = encodeToolCallId(baseId, signature);
    const name = call.name!;
    const providerMetadata = signature === undefined ? undefined : { gemini: { thoughtSignature: signature } };
    state.toolCalls++;
    const start: StreamEvent = { type: 'tool-input-start', id, name };
    if (providerMetadata !== undefined) start.providerMetadata = providerMetadata;
    emit(withChoice(start, state.tag));
    if (call.willContinue === true) {
      state.streamingTool = { id, name, writer: new PartialArgsJsonWriter(), providerMetadata };
      if (Array.isArray(call.partialArgs)) {
        const delta = state.streamingTool.writer.push(call.partialArgs);
        if (delta !== '') emit(withChoice({ type: 'tool-input-delta', id, delta }, state.tag));
      }
      return;
    }
    const args = JSON.stringify(isRecord(call.args) ? call.args : {});
    emit(withChoice({ type: 'tool-input-delta', id, delta: args }, state.tag));
    emit(withChoice({ type: 'tool-input-end', id }, state.tag));
    const done: StreamEvent = { type: 'tool-call', id, name, arguments: args };
    if (providerMetadata !== undefined) done.providerMetadata = providerMetadata;
    emit(withChoice(done, state.tag));
  }

  private finishStreamingTool(state: CandidateState, emit: EmitEvent): void {
    const tool = state.streamingTool;
    if (tool === undefined) return;
    state.streamingTool = undefined;
    const { delta, json } = tool.writer.finish();
    if (delta !== '') emit(withChoice({ type: 'tool-input-delta', id: tool.id, delta }, state.tag));
    emit(withChoice({ type: 'tool-input-end', id: tool.id }, state.tag));
    const done: StreamEvent = { type: 'tool-call', id: tool.id, name: tool.name, arguments: json };
    if (tool.providerMetadata !== undefined) done.providerMetadata = tool.providerMetadata;
    emit(withChoice(done, state.tag));
  }

  private openText(state: CandidateState, emit: EmitEvent): string {
    const id = `text-${state.tag ?? 0}-${state.blocks++}`;
    state.textId = id;
    emit(withChoice({ type: 'text-start', id }, state.tag));
    return id;
  }

  private openReasoning(state: CandidateState, emit: EmitEvent): string {
    const id = `reasoning-${state.tag ?? 0}-${state.blocks++}`;
    state.reasoningId = id;
    emit(withChoice({ type: 'reasoning-start', id }, state.tag));
    return id;
  }

  private closeText(state: CandidateState, emit: EmitEvent): void {
    if (state.textId === undefined) return;
    emit(withChoice({ type: 'text-end', id: state.textId }, state.tag));
    state.textId = undefined;
  }

  private closeReasoning(state: CandidateState, emit: EmitEvent): void {
    if (state.reasoningId === undefined) return;
    emit(withChoice({ type: 'reasoning-end', id: state.reasoningId }, state.tag));
    state.reasoningId = undefined;
  }

  private closeBlocks(state: CandidateState, emit: EmitEvent): void {
    this.finishStreamingTool(state, emit);
    this.closeReasoning(state, emit);
    this.closeText(state, emit);
  }
}
