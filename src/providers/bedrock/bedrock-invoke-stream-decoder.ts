import { GatewayError } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import type { EventStreamMessage } from '../../transport/aws-eventstream.js';
import type { SseEvent } from '../../transport/sse-parser.js';
import type { EmitEvent, StreamDecoder } from '../provider.js';
import { mapBedrockStreamException } from './map-bedrock-error.js';

/**
 * InvokeModelWithResponseStream → the model vendor's own stream decoder. Each `chunk` message
 * carries `{"bytes": "<base64>"}`, the base64 of one event of the vendor's stream (for Claude,
 * an Anthropic Messages event); it is handed on as the SSE event the vendor's API would have
 * sent. Exception messages end the stream with the mapped Bedrock error.
 */
export class BedrockInvokeStreamDecoder implements StreamDecoder<EventStreamMessage> {
  private readonly inner: StreamDecoder<SseEvent>;
  private readonly provider: string;
  private failed = false;

  constructor(inner: StreamDecoder<SseEvent>, provider: string) {
    this.inner = inner;
    this.provider = provider;
  }

  push(frame: EventStreamMessage, emit: EmitEvent): void {
    if (this.failed) return;
    const messageType = frame.headers[':message-type'];
    const text = Buffer.from(frame.body.buffer, frame.body.byteOffset, frame.body.byteLength).toString('utf8');
    if (messageType === 'exception' || messageType === 'error') {
      const type = messageType === 'exception' ? String(frame.headers[':exception-type'] ?? '') : String(frame.headers[':error-code'] ?? '');
      this.failed = true;
      emit({ type: 'error', error: mapBedrockStreamException(this.provider, type, text === '' ? { message: frame.headers[':error-message'] } : (tryParseJson(text) ?? { message: text })) });
      return;
    }
    if (frame.headers[':event-type'] !== 'chunk') return;
    const payload = tryParseJson(text);
    if (!isRecord(payload) || typeof payload.bytes !== 'string') {
      this.failed = true;
      emit({
        type: 'error',
        error: new GatewayError({
          code: 'upstream_bad_response',
          status: 502,
          retryable: true,
          message: `Provider "${this.provider}" sent a stream chunk without bytes`,
          upstream: { provider: this.provider, body: text.slice(0, 1024) },
        }),
      });
      return;
    }
    const data = Buffer.from(payload.bytes, 'base64').toString('utf8');
    const event = tryParseJson(data);
    const type = isRecord(event) && typeof event.type === 'string' ? event.type : undefined;
    this.inner.push(type === undefined ? { data } : { event: type, data }, emit);
  }

  end(emit: EmitEvent): void {
    if (!this.failed) this.inner.end(emit);
  }
}
