import type { GatewayError, StreamEvent, Usage } from '../../core/index.js';
import { encodeEventStreamEvent, encodeEventStreamException, EVENT_STREAM_CONTENT_TYPE } from '../../transport/aws-eventstream.js';
import type { StreamEncoder, StreamEncoderInfo } from '../surface.js';
import { streamExceptionType } from './bedrock-exception-names.js';
import { latencyMs } from './encode-converse-response.js';
import { encodeConverseUsage } from './encode-converse-usage.js';
import { mapFinishReasonToBedrock } from './map-finish-reason-to-bedrock.js';

const frame = (eventType: string, payload: unknown): string => encodeEventStreamEvent(eventType, payload).toString('latin1');

/**
 * Canonical events → ConverseStream event-stream frames, as Bedrock sends them: messageStart,
 * contentBlockStart (tool use only), contentBlockDelta, contentBlockStop, messageStop, then
 * metadata with usage and metrics at the end. Errors become exception frames the AWS SDK raises
 * as its exception classes. Frames are returned as latin1 strings (one character per byte).
 */
export class ConverseStreamEncoder implements StreamEncoder {
  readonly headers = { 'content-type': EVENT_STREAM_CONTENT_TYPE };
  readonly encoding = 'latin1' as const;
  private readonly info: StreamEncoderInfo;
  /** Canonical block id → contentBlockIndex. */
  private readonly blocks = new Map<string, number>();
  private nextIndex = 0;
  private started = false;
  private stopped = false;
  private usage: Usage | undefined;
  private metadata: Record<string, unknown> = {};
  private refusalIndex: number | undefined;

  constructor(info: StreamEncoderInfo) {
    this.info = info;
  }

  encode(event: StreamEvent): string {
    if ((event.choice ?? 0) !== 0) return '';
    switch (event.type) {
      case 'response-metadata':
        return this.start();
      case 'text-start':
      case 'reasoning-start': {
        const index = this.open(event.id);
        const head = this.start();
        return event.type === 'reasoning-start' && event.redactedData !== undefined
          ? head + frame('contentBlockDelta', { contentBlockIndex: index, delta: { reasoningContent: { redactedContent: event.redactedData } } })
          : head;
      }
      case 'text-delta':
        return this.delta(event.id, { text: event.delta });
      case 'reasoning-delta':
        return this.delta(event.id, { reasoningContent: { text: event.delta } });
      case 'reasoning-signature':
        return this.delta(event.id, { reasoningContent: { signature: event.signature } });
      case 'refusal-delta': {
        const head = this.start();
        if (this.refusalIndex === undefined) this.refusalIndex = this.open('\u0000refusal');
        return head + frame('contentBlockDelta', { contentBlockIndex: this.refusalIndex, delta: { text: event.delta } });
      }
      case 'tool-input-start': {
        const head = this.start();
        const index = this.open(event.id);
        return head + frame('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId: event.id, name: event.name } } });
      }
      case 'tool-input-delta':
        return this.delta(event.id, { toolUse: { input: event.delta } });
      case 'text-end':
      case 'reasoning-end':
      case 'tool-input-end':
        return this.close(event.id);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish': {
        if (this.stopped) return '';
        this.stopped = true;
        const bedrock = event.providerMetadata?.bedrock ?? {};
        this.metadata = bedrock;
        const stop: Record<string, unknown> = { stopReason: mapFinishReasonToBedrock(event.finishReason) };
        if (bedrock.additionalModelResponseFields !== undefined) stop.additionalModelResponseFields = bedrock.additionalModelResponseFields;
        return this.start() + this.closeAll() + frame('messageStop', stop);
      }
      case 'error':
        return this.error(event.error);
      default:
        return '';
    }
  }

  end(): string {
    let out = this.start() + this.closeAll();
    if (!this.stopped) out += frame('messageStop', { stopReason: 'end_turn' });
    const metadata: Record<string, unknown> = {
      usage: encodeConverseUsage(this.usage),
      metrics: { latencyMs: latencyMs(this.info, this.metadata.metrics) },
    };
    for (const field of ['trace', 'performanceConfig', 'serviceTier']) if (this.metadata[field] !== undefined) metadata[field] = this.metadata[field];
    return out + frame('metadata', metadata);
  }

  error(error: GatewayError): string {
    return encodeEventStreamException(streamExceptionType(error, 'converse'), { message: error.message }).toString('latin1');
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    return frame('messageStart', { role: 'assistant' });
  }

  private open(id: string): number {
    let index = this.blocks.get(id);
    if (index === undefined) {
      index = this.nextIndex++;
      this.blocks.set(id, index);
    }
    return index;
  }

  private delta(id: string, delta: Record<string, unknown>): string {
    const head = this.start();
    return head + frame('contentBlockDelta', { contentBlockIndex: this.open(id), delta });
  }

  private close(id: string): string {
    const index = this.blocks.get(id);
    if (index === undefined) return '';
    this.blocks.delete(id);
    return frame('contentBlockStop', { contentBlockIndex: index });
  }

  private closeAll(): string {
    let out = '';
    for (const id of [...this.blocks.keys()]) out += this.close(id);
    return out;
  }
}
