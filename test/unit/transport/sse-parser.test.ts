import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../../../src/transport/sse-parser.js';
import { listFixtures, readFixture, splitAtRandomOffsets } from '../../helpers/fixtures.js';

function parse(pieces: Buffer[], keepRaw = false): { events: SseEvent[]; raw: Buffer[] } {
  const events: SseEvent[] = [];
  const raw: Buffer[] = [];
  const parser = new SseParser(
    (event, bytes) => {
      if (event !== null) events.push(event);
      if (bytes !== null) raw.push(bytes);
    },
    { keepRaw },
  );
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return { events, raw };
}

const SAMPLE = Buffer.from(
  '\uFEFF: keep-alive comment\n\n' +
    'event: message_start\ndata: {"a":1}\n\n' +
    'data: line one\ndata: line two\r\n\r\n' +
    'id: 7\nretry: 1500\ndata: {"ü":"ñ€😀"}\r\r' +
    'data:no-space\n\n' +
    'data: [DONE]\n\n',
);

const EXPECTED: SseEvent[] = [
  { event: 'message_start', data: '{"a":1}' },
  { data: 'line one\nline two' },
  { data: '{"ü":"ñ€😀"}', id: '7', retry: 1500 },
  { data: 'no-space', id: '7' },
  { data: '[DONE]', id: '7' },
];

describe('SseParser', () => {
  it('parses fields, comments, multi-line data, CRLF / CR / LF and a BOM', () => {
    expect(parse([SAMPLE]).events).toEqual(EXPECTED);
  });

  it('gives the same events when the input is cut at every single byte boundary', () => {
    for (let cut = 1; cut < SAMPLE.length; cut++) {
      const { events } = parse([SAMPLE.subarray(0, cut), SAMPLE.subarray(cut)]);
      expect(events, `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it('gives the same events when fed one byte at a time (UTF-8 characters split across chunks)', () => {
    const bytes = [...SAMPLE].map((byte) => Buffer.from([byte]));
    expect(parse(bytes).events).toEqual(EXPECTED);
  });

  it('keeps the raw bytes of every block so a proxy can forward them unchanged', () => {
    for (let cut = 1; cut < SAMPLE.length; cut += 3) {
      const { raw } = parse([SAMPLE.subarray(0, cut), SAMPLE.subarray(cut)], true);
      // Every byte (the BOM too) is forwarded, in order.
      expect(Buffer.concat(raw).equals(SAMPLE), `cut at ${cut}`).toBe(true);
    }
  });

  it('flushes a final event that lacks its blank line', () => {
    expect(parse([Buffer.from('data: tail')]).events).toEqual([{ data: 'tail' }]);
  });

  it('ignores blocks without data and unknown fields', () => {
    expect(parse([Buffer.from('event: ping\n\nfoo: bar\ndata: x\n\n')]).events).toEqual([{ data: 'x' }]);
  });

  const sseFixtures = [
    ...listFixtures('openai-chat'),
    ...listFixtures('anthropic-messages'),
    ...listFixtures('gemini'),
    ...listFixtures('openrouter'),
    ...listFixtures('groq'),
  ].filter((name) => name.endsWith('.sse'));

  it.each(sseFixtures)('recorded stream %s parses identically at random cut points', (name) => {
    const bytes = readFixture(name);
    const whole = parse([bytes]).events;
    expect(whole.length).toBeGreaterThan(0);
    for (let seed = 1; seed <= 20; seed++) {
      expect(parse(splitAtRandomOffsets(bytes, seed, 40)).events).toEqual(whole);
    }
    expect(Buffer.concat(parse(splitAtRandomOffsets(bytes, 99, 17), true).raw).equals(bytes)).toBe(true);
  });
});
