import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import {
  decodeEventStreamMessage,
  encodeEventStreamEvent,
  encodeEventStreamException,
  encodeEventStreamMessage,
  EventStreamFramer,
  type EventStreamMessage,
} from '../../../src/transport/aws-eventstream.js';
import { readFixture } from '../../helpers/fixtures.js';

/*
 * The gateway's own event-stream encoder (one buffer, native CRC32, cached header blocks) must
 * write exactly what AWS writes: every message of recorded Bedrock streams re-encoded from its
 * headers and payload gives the recorded bytes, and any message gives the bytes of the AWS
 * SDK's codec.
 */

const sdkCodec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

function sdkEncode(headers: Record<string, string>, body: string): Buffer {
  const typed: MessageHeaders = {};
  for (const name in headers) typed[name] = { type: 'string', value: headers[name]! };
  return Buffer.from(sdkCodec.encode({ headers: typed, body: Buffer.from(body, 'utf8') }));
}

/** The recorded stream cut into its messages, each with its own bytes. */
function recordedMessages(name: string): Array<{ bytes: Buffer; message: EventStreamMessage }> {
  const stream = readFixture(name);
  const out: Array<{ bytes: Buffer; message: EventStreamMessage }> = [];
  let offset = 0;
  new EventStreamFramer((message) => {
    const length = stream.readUInt32BE(offset);
    out.push({ bytes: stream.subarray(offset, offset + length), message });
    offset += length;
  }).push(stream);
  return out;
}

describe('event-stream encoder', () => {
  it.each([
    'bedrock-converse/converse-stream-text.eventstream',
    'bedrock-converse/converse-stream-tool-use.eventstream',
    'bedrock-converse/converse-stream-thinking.eventstream',
    'bedrock-invoke/invoke-stream-anthropic-messages.eventstream',
  ])('re-encodes every message of %s to the recorded bytes', (name) => {
    const messages = recordedMessages(name);
    expect(messages.length).toBeGreaterThan(3);
    for (const { bytes, message } of messages) {
      const headers = Object.fromEntries(Object.entries(message.headers).map(([key, value]) => [key, String(value)]));
      expect(encodeEventStreamMessage(headers, message.body).equals(bytes)).toBe(true);
      expect(encodeEventStreamMessage(headers, Buffer.from(message.body).toString('utf8')).equals(bytes)).toBe(true);
    }
  });

  it('writes what the AWS SDK codec writes, for events, exceptions, empty and non-ASCII payloads', () => {
    const cases: Array<[Buffer, Buffer]> = [
      [
        encodeEventStreamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'héllo 👋 — 你好' } }),
        sdkEncode({ ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' }, JSON.stringify({ contentBlockIndex: 0, delta: { text: 'héllo 👋 — 你好' } })),
      ],
      [
        // The second use of an event type comes from the header cache.
        encodeEventStreamEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { text: '' } }),
        sdkEncode({ ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' }, JSON.stringify({ contentBlockIndex: 1, delta: { text: '' } })),
      ],
      [
        encodeEventStreamException('throttlingException', { message: 'Too many tokens, please wait.' }),
        sdkEncode({ ':exception-type': 'throttlingException', ':content-type': 'application/json', ':message-type': 'exception' }, JSON.stringify({ message: 'Too many tokens, please wait.' })),
      ],
      [
        encodeEventStreamMessage({ ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'ünïcode' }, ''),
        sdkEncode({ ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'ünïcode' }, ''),
      ],
    ];
    for (const [ours, theirs] of cases) {
      expect(ours.equals(theirs)).toBe(true);
      // And our decoder (CRC-checked by the SDK codec) reads it back.
      expect(decodeEventStreamMessage(ours).body).toEqual(new Uint8Array(theirs.subarray(ours.readUInt32BE(4) + 12, -4)));
    }
  });
});
