import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/index.js';
import {
  decodeEventStreamMessage,
  encodeEventStreamEvent,
  encodeEventStreamException,
  EventStreamFramer,
  type EventStreamMessage,
} from '../../../src/transport/aws-eventstream.js';
import { createFramer } from '../../../src/transport/stream-framer.js';
import { readFixture, readFixtureText, splitAtRandomOffsets } from '../../helpers/fixtures.js';

const RECORDINGS = [
  'bedrock-converse/converse-stream-text',
  'bedrock-converse/converse-stream-tool-use',
  'bedrock-converse/converse-stream-thinking',
  'bedrock-converse/converse-stream-redacted-thinking',
  'bedrock-converse/converse-stream-cache-write',
  'bedrock-invoke/invoke-stream-anthropic-messages',
];

/** The fixture's own decoded view: one frame per line. */
function expectedFrames(name: string): Array<Record<string, unknown>> {
  return readFixtureText(`${name}.events.jsonl`)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Our decoding in the same shape as the .events.jsonl lines. */
function view(message: EventStreamMessage): Record<string, unknown> {
  const payload = JSON.parse(Buffer.from(message.body).toString('utf8')) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...message.headers, payload };
  if (typeof payload.bytes === 'string') out.bytes_decoded = JSON.parse(Buffer.from(payload.bytes, 'base64').toString('utf8'));
  return out;
}

function decodeAll(pieces: Buffer[]): Array<Record<string, unknown>> {
  const frames: Array<Record<string, unknown>> = [];
  const framer = new EventStreamFramer((message) => frames.push(view(message)));
  for (const piece of pieces) framer.push(piece);
  framer.end();
  return frames;
}

describe('aws event-stream framing', () => {
  for (const name of RECORDINGS) {
    describe(name, () => {
      const bytes = readFixture(`${name}.eventstream`);
      const expected = expectedFrames(name);

      it('decodes the whole body into the recorded frames', () => {
        expect(decodeAll([bytes])).toEqual(expected);
      });

      it('decodes the same frames when the body is split at arbitrary offsets', () => {
        for (const seed of [1, 2, 3, 17, 99]) {
          expect(decodeAll(splitAtRandomOffsets(bytes, seed, 40))).toEqual(expected);
        }
        expect(decodeAll(splitAtRandomOffsets(bytes, 5, 700))).toEqual(expected);
      });

      it('decodes byte by byte', () => {
        const pieces: Buffer[] = [];
        for (let index = 0; index < bytes.length; index++) pieces.push(bytes.subarray(index, index + 1));
        expect(decodeAll(pieces)).toEqual(expected);
      });
    });
  }

  it('is registered as the aws-eventstream framer', () => {
    const frames: unknown[] = [];
    const framer = createFramer('aws-eventstream', (frame) => frames.push(frame));
    framer.push(readFixture('bedrock-converse/converse-stream-text.eventstream'));
    framer.end();
    expect(frames).toHaveLength(expectedFrames('bedrock-converse/converse-stream-text').length);
  });

  it('rejects a frame whose CRC does not match', () => {
    const bytes = Buffer.from(readFixture('bedrock-converse/converse-stream-text.eventstream'));
    bytes[40] = bytes[40]! ^ 0xff;
    const framer = new EventStreamFramer(() => undefined);
    expect(() => framer.push(bytes)).toThrowError(GatewayError);
    try {
      new EventStreamFramer(() => undefined).push(bytes);
    } catch (error) {
      expect((error as GatewayError).code).toBe('upstream_bad_response');
      expect((error as GatewayError).message).toMatch(/checksum/);
    }
  });

  it('rejects an absurd length prefix before buffering it', () => {
    const bytes = Buffer.alloc(16);
    bytes.writeUInt32BE(0x7fffffff, 0);
    expect(() => new EventStreamFramer(() => undefined).push(bytes)).toThrowError(/declares/);
  });

  it('reports a stream that ends inside a message', () => {
    const bytes = readFixture('bedrock-converse/converse-stream-text.eventstream');
    const framer = new EventStreamFramer(() => undefined);
    framer.push(bytes.subarray(0, bytes.length - 3));
    expect(() => framer.end()).toThrowError(/ended inside a message \(\d+ bytes left over\)/);
  });

  it('encodes events and exceptions that decode back', () => {
    const event = decodeEventStreamMessage(encodeEventStreamEvent('messageStart', { role: 'assistant' }));
    expect(event.headers).toEqual({ ':event-type': 'messageStart', ':content-type': 'application/json', ':message-type': 'event' });
    expect(Buffer.from(event.body).toString()).toBe('{"role":"assistant"}');
    const exception = decodeEventStreamMessage(encodeEventStreamException('throttlingException', { message: 'slow down' }));
    expect(exception.headers[':message-type']).toBe('exception');
    expect(exception.headers[':exception-type']).toBe('throttlingException');
  });

  it('re-encodes the recorded frames with the same headers and payloads', () => {
    const bytes = readFixture('bedrock-converse/converse-stream-tool-use.eventstream');
    const out: Buffer[] = [];
    const framer = new EventStreamFramer((message) => {
      out.push(encodeEventStreamEvent(String(message.headers[':event-type']), JSON.parse(Buffer.from(message.body).toString())));
    });
    framer.push(bytes);
    // Header order and JSON spacing are the recorder's; the frames carry the same content.
    expect(decodeAll([Buffer.concat(out)])).toEqual(decodeAll([bytes]));
  });
});
