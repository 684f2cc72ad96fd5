import { describe, expect, it } from 'vitest';
import { encodeGenAiResponse } from '../../../../src/api/genai/encode-genai-response.js';
import { GenAiStreamEncoder } from '../../../../src/api/genai/genai-stream-encoder.js';
import type { StreamEvent } from '../../../../src/core/index.js';
import { decodeGeminiResponse } from '../../../../src/providers/gemini/decode-gemini-response.js';
import { GeminiStreamDecoder } from '../../../../src/providers/gemini/gemini-stream-decoder.js';
import { SseParser } from '../../../../src/transport/sse-parser.js';
import { listFixtures, readFixture, readFixtureJson } from '../../../helpers/fixtures.js';

type Json = Record<string, unknown>;

const ANSWERS = listFixtures('gemini').filter((name) => name.endsWith('.json') && !name.endsWith('.request.json') && !name.includes('error-'));
const STREAMS = listFixtures('gemini').filter((name) => name.endsWith('.sse'));

/**
 * What may differ: function calls get ids from the gateway (Gemini sends none), candidates
 * always carry their index, and content without parts always names its role.
 */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const record = { ...(item as Json) };
    if (key === 'functionCall') delete record.id;
    if (key === 'content' && record.parts === undefined) delete record.role;
    if ('finishReason' in record && record.index === 0) delete record.index;
    return record;
  }) as unknown;
}

function parseSse(text: string): Json[] {
  const events: Json[] = [];
  const parser = new SseParser((event) => {
    if (event !== null) events.push(JSON.parse(event.data) as Json);
  });
  parser.push(Buffer.from(text));
  parser.end();
  return events;
}

/** What a client assembles from a stream: texts, thoughts, calls, signatures, last finish and usage. */
function assemble(chunks: Json[]) {
  let text = '';
  let thoughts = '';
  const calls: unknown[] = [];
  const signatures: string[] = [];
  let finishReason: unknown;
  let usage: unknown;
  for (const chunk of chunks) {
    const candidate = (chunk.candidates as Json[] | undefined)?.[0];
    for (const part of ((candidate?.content as Json | undefined)?.parts as Json[] | undefined) ?? []) {
      if (typeof part.text === 'string') {
        if (part.thought === true) thoughts += part.text;
        else text += part.text;
      }
      if (part.functionCall !== undefined) {
        const call = part.functionCall as Json;
        // Vertex partial-args chunks are assembled by the decoder; compare whole calls only.
        if (typeof call.name === 'string' && call.partialArgs === undefined && call.willContinue !== true) calls.push({ name: call.name, args: call.args ?? {} });
      }
      if (typeof part.thoughtSignature === 'string') signatures.push(part.thoughtSignature);
    }
    finishReason = candidate?.finishReason ?? finishReason;
    usage = chunk.usageMetadata ?? usage;
  }
  return { text, thoughts, calls, signatures, finishReason, usage };
}

describe('Gemini provider → canonical → GenAI surface reproduces recorded answers', () => {
  for (const name of ANSWERS) {
    it(name, () => {
      const original = readFixtureJson<Json>(name);
      const response = decodeGeminiResponse(original, { provider: 'gemini' });
      const encoded = JSON.parse(encodeGenAiResponse(response, { requestId: 'req', model: 'unused' })) as Json;
      expect(comparable(encoded)).toEqual(comparable(original));
    });
  }

  it('a blocked prompt (documented shape, no recording) is answered as Gemini does: promptFeedback, no candidates', () => {
    const original = { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 }, modelVersion: 'gemini-2.5-flash', responseId: 'r1' };
    const encoded = JSON.parse(encodeGenAiResponse(decodeGeminiResponse(original, { provider: 'gemini' }), { requestId: 'req', model: 'unused' })) as Json;
    expect(encoded).toEqual(original);
  });

  for (const name of STREAMS) {
    it(`${name} (stream)`, () => {
      const original = parseSse(readFixture(name).toString('utf8'));
      const events: StreamEvent[] = [];
      const decoder = new GeminiStreamDecoder('gemini');
      const parser = new SseParser((event) => {
        if (event !== null) decoder.push(event, (item) => events.push(item));
      });
      parser.push(readFixture(name));
      parser.end();
      decoder.end((item) => events.push(item));
      const encoder = new GenAiStreamEncoder({ model: 'm', messages: [], stream: true }, { requestId: 'req', model: 'm' });
      const output = events.map((event) => encoder.encode(event)).join('') + encoder.end();
      expect(output).toMatch(/^data: .*\r\n\r\n$/s);
      const expected = assemble(original);
      const partial = original.some((chunk) => JSON.stringify(chunk).includes('partialArgs'));
      if (partial) {
        expected.calls = [{ name: 'getWeather', args: { location: 'Boston' } }, { name: 'getWeather', args: { location: 'San Francisco' } }];
      }
      expect(assemble(parseSse(output))).toEqual(expected);
    });
  }
});
