import { EventStreamCodec } from '@smithy/eventstream-codec';
import { crc32 } from 'node:zlib';
import { GatewayError } from '../core/errors.js';
import { registerFramer, type StreamFramer } from './stream-framer.js';

/*
 * AWS event stream (`application/vnd.amazon.eventstream`), the binary framing of Bedrock's
 * ConverseStream and InvokeModelWithResponseStream. Each message is: total length (4 bytes),
 * headers length (4), CRC32 of those 8 bytes, headers, payload, CRC32 of everything before it.
 * The codec of the AWS SDK (@smithy/eventstream-codec) checks both CRCs and parses the typed
 * headers; this file adds the incremental framing (messages cut at any byte) and the encoder
 * the Bedrock surface writes with (its own: one buffer per message, the native CRC32 of
 * node:zlib, and the few header blocks the surface uses built once — it writes a message per
 * streamed token).
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

/** Header value type 7: a UTF-8 string with a 2-byte length. */
const STRING_HEADER = 7;

/** The headers block of a message: per header, name length, name, type, value length, value. */
function encodeHeaders(headers: Readonly<Record<string, string>>): Buffer {
  const parts: Buffer[] = [];
  for (const name in headers) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(headers[name]!, 'utf8');
    const part = Buffer.allocUnsafe(1 + nameBytes.length + 3 + valueBytes.length);
    part.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(part, 1);
    part.writeUInt8(STRING_HEADER, 1 + nameBytes.length);
    part.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    valueBytes.copy(part, 4 + nameBytes.length);
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/** Prelude, prelude CRC, headers, payload, message CRC, in one buffer. */
function encodeMessage(headerBytes: Buffer, body: Uint8Array | string): Buffer {
  const payloadLength = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  const total = PRELUDE_BYTES + headerBytes.length + payloadLength + 4;
  const message = Buffer.allocUnsafe(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, PRELUDE_BYTES);
  const payloadAt = PRELUDE_BYTES + headerBytes.length;
  if (typeof body === 'string') message.write(body, payloadAt, 'utf8');
  else message.set(body, payloadAt);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** Encode one message with string headers (`:event-type`, `:message-type`, ...). */
export function encodeEventStreamMessage(headers: Readonly<Record<string, string>>, body: Uint8Array | string): Buffer {
  return encodeMessage(encodeHeaders(headers), body);
}

/** Header blocks by event or exception type (a handful per surface, built once). */
const eventHeaders = new Map<string, Buffer>();
const exceptionHeaders = new Map<string, Buffer>();

/** An `:message-type: event` message with a JSON payload. */
export function encodeEventStreamEvent(eventType: string, payload: unknown): Buffer {
  let headers = eventHeaders.get(eventType);
  if (headers === undefined) {
    headers = encodeHeaders({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' });
    eventHeaders.set(eventType, headers);
  }
  return encodeMessage(headers, JSON.stringify(payload));
}

/** An `:message-type: exception` message, as AWS services send modelled errors inside a stream. */
export function encodeEventStreamException(exceptionType: string, payload: unknown): Buffer {
  let headers = exceptionHeaders.get(exceptionType);
  if (headers === undefined) {
    headers = encodeHeaders({ ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' });
    exceptionHeaders.set(exceptionType, headers);
  }
  return encodeMessage(headers, JSON.stringify(payload));
}

/** Content type of an event-stream body. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

registerFramer('aws-eventstream', (onFrame) => new EventStreamFramer(onFrame));
