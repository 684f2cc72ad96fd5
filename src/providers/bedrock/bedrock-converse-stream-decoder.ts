import type { FinishReason, ProviderMetadata, StreamEvent } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { EventStreamMessage } from '../../transport/aws-eventstream.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { convertBedrockCitation } from './convert-bedrock-citations.js';
import { convertBedrockUsage } from './convert-bedrock-usage.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';
import { mapBedrockStreamException } from './map-bedrock-error.js';
import { streamEndedEarly } from '../shared/stream-errors.js';

type BlockKind = 'text' | 'reasoning' | 'tool';

interface Block {
  kind: BlockKind;
  id: string;
  name: string;
  arguments: string;
}

/** Metadata fields of the stream's `metadata` event kept for the finish event. */
const METADATA_SKIP = new Set(['usage', 'p']);

/**
 * ConverseStream event-stream messages → canonical events
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html).
 * Blocks are keyed by `contentBlockIndex`: text and reasoning blocks open on their first delta
 * (Bedrock sends no contentBlockStart for them), tool blocks on contentBlockStart. The finish
 * waits for the `metadata` event that follows messageStop, so it carries the guardrail trace and
 * metrics; usage is emitted just before it. Exception messages end the stream with an error.
 */
export class BedrockConverseStreamDecoder implements StreamDecoder<EventStreamMessage> {
  private readonly provider: string;
  private readonly model: string;
  private readonly blocks = new Map<number, Block>();
  private pendingFinish: { finishReason: FinishReason; metadata: Record<string, unknown> } | undefined;
  private started = false;
  private stopped = false;
  private finished = false;
  private failed = false;
  private serial = 0;

  constructor(provider: string, model: string) {
    this.provider = provider;
    this.model = model;
  }

  push(frame: EventStreamMessage, emit: EmitEvent): void {
    if (this.failed) return;
    const messageType = frame.headers[':message-type'];
    const text = Buffer.from(frame.body.buffer, frame.body.byteOffset, frame.body.byteLength).toString('utf8');
    if (messageType === 'exception' || messageType === 'error') {
      const type = messageType === 'exception' ? String(frame.headers[':exception-type'] ?? '') : String(frame.headers[':error-code'] ?? '');
      const payload = text === '' ? { message: frame.headers[':error-message'] } : (tryParseJson(text) ?? { message: text });
      this.fail(emit, mapBedrockStreamException(this.provider, type, payload));
      return;
    }
    const payload = tryParseJson(text);
    if (!isRecord(payload)) {
      this.fail(emit, new GatewayError({
        code: 'upstream_bad_response',
        status: 502,
        retryable: true,
        message: `Provider "${this.provider}" sent a stream event that is not a JSON object`,
        upstream: { provider: this.provider, body: text.slice(0, 1024) },
      }));
      return;
    }
    switch (frame.headers[':event-type']) {
      case 'messageStart':
        this.start(emit);
        break;
      case 'contentBlockStart':
        this.blockStart(payload, emit);
        break;
      case 'contentBlockDelta':
        this.blockDelta(payload, emit);
        break;
      case 'contentBlockStop':
        if (typeof payload.contentBlockIndex === 'number') this.close(payload.contentBlockIndex, emit);
        break;
      case 'messageStop':
        this.messageStop(payload, emit);
        break;
      case 'metadata':
        this.metadata(payload, emit);
        break;
      default:
        break;
    }
  }

  end(emit: EmitEvent): void {
    if (this.failed || this.finished) return;
    this.closeAll(emit);
    if (this.pendingFinish !== undefined) {
      this.emitFinish(emit);
      return;
    }
    emit({
      type: 'error',
      error: streamEndedEarly(this.provider),
    });
  }

  private start(emit: EmitEvent): void {
    if (this.started) return;
    this.started = true;
    emit({ type: 'response-metadata', model: this.model });
  }

  private blockStart(payload: Record<string, unknown>, emit: EmitEvent): void {
    this.start(emit);
    const index = payload.contentBlockIndex;
    const start = isRecord(payload.start) ? payload.start : {};
    if (typeof index !== 'number' || !isRecord(start.toolUse)) return;
    this.close(index, emit);
    const toolUse = start.toolUse;
    const id = typeof toolUse.toolUseId === 'string' ? toolUse.toolUseId : `tooluse-${this.serial++}`;
    const name = typeof toolUse.name === 'string' ? toolUse.name : '';
    this.blocks.set(index, { kind: 'tool', id, name, arguments: '' });
    const event: StreamEvent = { type: 'tool-input-start', id, name };
    if (typeof toolUse.type === 'string') event.providerMetadata = { bedrock: { type: toolUse.type } };
    emit(event);
  }

  private open(index: number, kind: BlockKind, emit: EmitEvent, redactedData?: string): Block {
    const existing = this.blocks.get(index);
    if (existing !== undefined && existing.kind === kind && redactedData === undefined) return existing;
    if (existing !== undefined) this.close(index, emit);
    const id = kind === 'tool' ? `tooluse-${this.serial++}` : `${kind}-${index}-${this.serial++}`;
    const block: Block = { kind, id, name: '', arguments: '' };
    this.blocks.set(index, block);
    if (kind === 'text') emit({ type: 'text-start', id });
    else if (kind === 'reasoning') emit(redactedData === undefined ? { type: 'reasoning-start', id } : { type: 'reasoning-start', id, redactedData });
    else emit({ type: 'tool-input-start', id, name: '' });
    return block;
  }

  private blockDelta(payload: Record<string, unknown>, emit: EmitEvent): void {
    this.start(emit);
    const index = payload.contentBlockIndex;
    const delta = payload.delta;
    if (typeof index !== 'number' || !isRecord(delta)) return;
    if (typeof delta.text === 'string') {
      const block = this.open(index, 'text', emit);
      if (delta.text !== '') emit({ type: 'text-delta', id: block.id, delta: delta.text });
    }
    if (isRecord(delta.reasoningContent)) {
      const reasoning = delta.reasoningContent;
      if (typeof reasoning.redactedContent === 'string') {
        this.open(index, 'reasoning', emit, reasoning.redactedContent);
      }
      if (typeof reasoning.text === 'string') {
        const block = this.open(index, 'reasoning', emit);
        if (reasoning.text !== '') emit({ type: 'reasoning-delta', id: block.id, delta: reasoning.text });
      }
      if (typeof reasoning.signature === 'string') {
        const block = this.open(index, 'reasoning', emit);
        emit({ type: 'reasoning-signature', id: block.id, signature: reasoning.signature });
      }
    }
    if (isRecord(delta.toolUse)) {
      const block = this.open(index, 'tool', emit);
      const input = delta.toolUse.input;
      if (typeof input === 'string' && input !== '') {
        block.arguments += input;
        emit({ type: 'tool-input-delta', id: block.id, delta: input });
      }
    }
    if (isRecord(delta.citation)) {
      const block = this.open(index, 'text', emit);
      emit({ type: 'citation', id: block.id, citation: convertBedrockCitation(delta.citation) });
    }
  }

  private close(index: number, emit: EmitEvent): void {
    const block = this.blocks.get(index);
    if (block === undefined) return;
    this.blocks.delete(index);
    if (block.kind === 'text') emit({ type: 'text-end', id: block.id });
    else if (block.kind === 'reasoning') emit({ type: 'reasoning-end', id: block.id });
    else {
      emit({ type: 'tool-input-end', id: block.id });
      emit({ type: 'tool-call', id: block.id, name: block.name, arguments: block.arguments === '' ? '{}' : block.arguments });
    }
  }

  private closeAll(emit: EmitEvent): void {
    for (const index of [...this.blocks.keys()].sort((a, b) => a - b)) this.close(index, emit);
  }

  private messageStop(payload: Record<string, unknown>, emit: EmitEvent): void {
    this.start(emit);
    this.closeAll(emit);
    this.stopped = true;
    const metadata: Record<string, unknown> = {};
    if (payload.additionalModelResponseFields !== undefined) metadata.additionalModelResponseFields = payload.additionalModelResponseFields;
    this.pendingFinish = { finishReason: mapBedrockStopReason(payload.stopReason), metadata };
  }

  private metadata(payload: Record<string, unknown>, emit: EmitEvent): void {
    const usage = convertBedrockUsage(payload.usage);
    if (usage !== undefined) emit({ type: 'usage', usage });
    if (this.pendingFinish === undefined) return;
    for (const key in payload) if (!METADATA_SKIP.has(key)) this.pendingFinish.metadata[key] = payload[key];
    if (this.stopped) this.emitFinish(emit);
  }

  private emitFinish(emit: EmitEvent): void {
    const pending = this.pendingFinish!;
    this.finished = true;
    const event: StreamEvent = { type: 'finish', finishReason: pending.finishReason };
    if (Object.keys(pending.metadata).length > 0) event.providerMetadata = { bedrock: pending.metadata } satisfies ProviderMetadata;
    emit(event);
  }

  private fail(emit: EmitEvent, error: GatewayError): void {
    this.failed = true;
    emit({ type: 'error', error });
  }
}
