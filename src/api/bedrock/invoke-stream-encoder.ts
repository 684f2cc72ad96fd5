import type { ChatRequest, GatewayError, StreamEvent, Usage } from '../../core/index.js';
import { encodeEventStreamEvent, encodeEventStreamException, EVENT_STREAM_CONTENT_TYPE } from '../../transport/aws-eventstream.js';
import { SseParser } from '../../transport/sse-parser.js';
import { MessagesStreamEncoder } from '../anthropic/messages-stream-encoder.js';
import type { StreamEncoder, StreamEncoderInfo } from '../surface.js';
import { streamExceptionType } from './bedrock-exception-names.js';

/**
 * Canonical events → InvokeModelWithResponseStream for Claude: the Anthropic Messages event
 * stream (written by the Anthropic surface's encoder), each event wrapped as Bedrock does in a
 * `chunk` event-stream message `{"bytes": "<base64 of the event JSON>"}`; message_stop carries
 * `amazon-bedrock-invocationMetrics`. Errors are exception messages the AWS SDK raises.
 */
export class InvokeStreamEncoder implements StreamEncoder {
  readonly headers = { 'content-type': EVENT_STREAM_CONTENT_TYPE };
  readonly encoding = 'latin1' as const;
  private readonly inner: MessagesStreamEncoder;
  private readonly info: StreamEncoderInfo;
  private readonly parser: SseParser;
  private out = '';
  private usage: Usage | undefined;
  private firstByteMs: number | undefined;

  constructor(request: ChatRequest, info: StreamEncoderInfo) {
    this.inner = new MessagesStreamEncoder(request, info);
    this.info = info;
    this.parser = new SseParser((event) => {
      if (event !== null) this.out += this.chunk(event.data);
    });
  }

  encode(event: StreamEvent): string {
    if (event.type === 'error') return this.error(event.error);
    if (event.type === 'usage') this.usage = event.usage;
    return this.wrap(this.inner.encode(event));
  }

  end(): string {
    return this.wrap(this.inner.end());
  }

  error(error: GatewayError): string {
    return encodeEventStreamException(streamExceptionType(error, 'invoke'), { message: error.message }).toString('latin1');
  }

  private wrap(sse: string): string {
    if (sse === '') return '';
    this.parser.push(Buffer.from(sse, 'utf8'));
    const out = this.out;
    this.out = '';
    return out;
  }

  private elapsed(): number {
    return this.info.startedAt === undefined ? 0 : Math.max(0, Math.round(performance.now() - this.info.startedAt));
  }

  private chunk(data: string): string {
    this.firstByteMs ??= this.elapsed();
    let json = data;
    if (data.startsWith('{"type":"message_stop"')) {
      const metrics = {
        inputTokenCount: this.usage?.inputTokens ?? 0,
        outputTokenCount: this.usage?.outputTokens ?? 0,
        invocationLatency: this.elapsed(),
        firstByteLatency: this.firstByteMs,
      };
      json = `${data.slice(0, -1)},"amazon-bedrock-invocationMetrics":${JSON.stringify(metrics)}}`;
    }
    return encodeEventStreamEvent('chunk', { bytes: Buffer.from(json, 'utf8').toString('base64') }).toString('latin1');
  }
}
