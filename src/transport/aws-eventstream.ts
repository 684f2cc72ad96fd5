import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { GatewayError } from '../core/errors.js';
import { registerFramer, type StreamFramer } from './stream-framer.js';

/*
 * AWS event stream (`application/vnd.amazon.eventstream`), the binary framing of Bedrock's
 * ConverseStream and InvokeModelWithResponseStream. Each message is: total length (4 bytes),
 * headers length (4), CRC32 of those 8 bytes, headers, payload, CRC32 of everything before it.
 * The codec of the AWS SDK (@smithy/eventstream-codec) checks both CRCs and parses the typed
 * headers; this file adds the incremental framing (messages cut at any byte) and the encoder
 * the Bedrock surface writes with.
 */

/** One decoded event-stream message: headers by name (string values as strings) and the payload. */
export interface EventStreamMessage {
  headers: Record<string, string | number | boolean | Uint8Array | Date>;
  body: Uint8Array;
}

const PRELUDE_BYTES = 12;
const MINIMUM_MESSAGE_BYTES = 16;
/** Bedrock payloads are at most a few MB; a larger length prefix means a corrupt stream. */
const DEFAULT_MAX_MESSAGE_BYTES = 24 * 1024 * 1024;

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

function corrupt(message: string, cause?: unknown): GatewayError {
  return new GatewayError({
    code: 'upstream_bad_response',
    status: 502,
    retryable: true,
    message: `The upstream event stream is corrupt: ${message}`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Decode one complete message (CRC-checked). Throws an upstream_bad_response GatewayError. */
export function decodeEventStreamMessage(bytes: Uint8Array): EventStreamMessage {
  let decoded;
  try {
    decoded = codec.decode(bytes);
  } catch (error) {
    throw corrupt((error as Error).message, error);
  }
  const headers: EventStreamMessage['headers'] = {};
  for (const [name, header] of Object.entries(decoded.headers)) {
    const value = header.value;
    headers[name] = typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date) ? String(value) : value;
  }
  return { headers, body: decoded.body };
}

/**
 * Splits an event-stream byte stream into messages, whatever the chunk boundaries. Pending
 * bytes are kept as a list and joined once per message (not once per chunk), so a message cut
 * into many small pieces costs linear time.
 */
export class EventStreamFramer implements StreamFramer {
  private readonly onMessage: (message: EventStreamMessage) => void;
  private readonly maxMessageBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Total length of the message being assembled, once its prelude is in. */
  private expected = 0;

  constructor(onMessage: (message: EventStreamMessage) => void, options: { maxMessageBytes?: number } = {}) {
    this.onMessage = onMessage;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    let buffer: Buffer;
    if (this.pendingBytes === 0) {
      buffer = chunk;
    } else {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      const needed = this.expected === 0 ? PRELUDE_BYTES : this.expected;
      if (this.pendingBytes < needed) return;
      buffer = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let offset = 0;
    while (buffer.length - offset >= PRELUDE_BYTES) {
      const total = buffer.readUInt32BE(offset);
      if (total < MINIMUM_MESSAGE_BYTES || total > this.maxMessageBytes) {
        throw corrupt(`a message declares ${total} bytes`);
      }
      if (buffer.length - offset < total) {
        this.expected = total;
        break;
      }
      this.expected = 0;
      this.onMessage(decodeEventStreamMessage(buffer.subarray(offset, offset + total)));
      offset += total;
    }
    if (offset < buffer.length) {
      const rest = buffer.subarray(offset);
      if (rest.length < PRELUDE_BYTES) this.expected = 0;
      this.pending.push(rest);
      this.pendingBytes = rest.length;
    }
  }

  /** The body ended: bytes left over are a truncated message. */
  end(): void {
    if (this.pendingBytes > 0) {
      const left = this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
      throw corrupt(`the stream ended inside a message (${left} bytes left over)`);
    }
  }
}

/** Encode one message with string headers (`:event-type`, `:message-type`, ...). */
export function encodeEventStreamMessage(headers: Readonly<Record<string, string>>, body: Uint8Array | string): Buffer {
  const typed: MessageHeaders = {};
  for (const name in headers) typed[name] = { type: 'string', value: headers[name]! };
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const bytes = codec.encode({ headers: typed, body: payload });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An `:message-type: event` message with a JSON payload. */
export function encodeEventStreamEvent(eventType: string, payload: unknown): Buffer {
  return encodeEventStreamMessage(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    JSON.stringify(payload),
  );
}

/** An `:message-type: exception` message, as AWS services send modelled errors inside a stream. */
export function encodeEventStreamException(exceptionType: string, payload: unknown): Buffer {
  return encodeEventStreamMessage(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    JSON.stringify(payload),
  );
}

/** Content type of an event-stream body. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

registerFramer('aws-eventstream', (onFrame) => new EventStreamFramer(onFrame));
