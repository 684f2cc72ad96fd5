import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/core/index.js';
import { listFixtures, readFixture, splitAtRandomOffsets } from '../../../helpers/fixtures.js';
import { decodeGeminiStream, lastUsageOnly, summarize } from './stream-helpers.js';

const STREAMS = listFixtures('gemini').filter((name) => name.endsWith('.sse'));

function onePerByte(data: Buffer): Buffer[] {
  return [...data].map((byte) => Buffer.from([byte]));
}

/** Tool arguments as the concatenation of their deltas, by call id. */
function streamedArguments(events: StreamEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const event of events) if (event.type === 'tool-input-delta') out.set(event.id, (out.get(event.id) ?? '') + event.delta);
  return out;
}

describe('Gemini stream decoder on recorded streams', () => {
  it('covers every recorded stream', () => {
    expect(STREAMS).toHaveLength(8);
  });

  for (const name of STREAMS) {
    it(`${name}: the same events whatever the chunking (whole, random splits, one byte at a time)`, () => {
      const bytes = readFixture(name);
      const whole = decodeGeminiStream([bytes]);
      for (const seed of [1, 7, 42, 1234]) expect(decodeGeminiStream(splitAtRandomOffsets(bytes, seed, 97))).toEqual(whole);
      expect(decodeGeminiStream(onePerByte(bytes))).toEqual(whole);
      // Streamed argument deltas always add up to the complete call.
      const streamed = streamedArguments(whole);
      for (const event of whole) {
        if (event.type === 'tool-call') {
          expect(streamed.get(event.id)).toBe(event.arguments);
          expect(JSON.parse(event.arguments)).toBeTypeOf('object');
        }
      }
      // Exactly one finish and no error: every recording is a complete stream.
      expect(whole.filter((event) => event.type === 'finish')).toHaveLength(1);
      expect(whole.some((event) => event.type === 'error')).toBe(false);
    });
  }

  it('text: deltas into one block, usage from the last chunk, STOP → stop', () => {
    expect(summarize(decodeGeminiStream([readFixture('gemini/stream-text.sse')]))).toMatchInlineSnapshot(`
      [
        "metadata w1peaMz6INOvnvgPgYfPiQY gemini-2.0-flash-exp",
        "text-start text-0-0",
        "text-delta text-0-0 "The"",
        "usage in=15 out=undefined reasoning=undefined cached=undefined total=15",
        "text-delta text-0-0 " capital of France"",
        "usage in=15 out=undefined reasoning=undefined cached=undefined total=15",
        "text-delta text-0-0 " is Paris.\\n"",
        "text-end text-0-0",
        "finish stop/STOP",
        "usage in=13 out=8 reasoning=undefined cached=undefined total=21",
      ]
    `);
  });

  it('usage changes mid-stream; thoughts are added to output tokens', () => {
    expect(summarize(decodeGeminiStream([readFixture('gemini/stream-usage-mid-stream.sse')]))).toMatchInlineSnapshot(`
      [
        "metadata ru1garvBEoOiqtsP2fznmQw gemini-2.5-flash",
        "text-start text-0-0",
        "text-delta text-0-0 "1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10\\n11\\n12\\n13\\n1"",
        "usage in=18 out=66 reasoning=35 cached=undefined total=84",
        "text-delta text-0-0 "4\\n15\\n16\\n17\\n18\\n19\\n20\\n21\\n22\\n23\\n24\\n25\\n26\\n27\\n28\\n29\\n3"",
        "usage in=18 out=114 reasoning=35 cached=undefined total=132",
        "text-delta text-0-0 "0"",
        "text-end text-0-0",
        "finish stop/STOP",
        "usage in=18 out=115 reasoning=35 cached=undefined total=133",
      ]
    `);
  });

  it('text after function responses', () => {
    expect(summarize(decodeGeminiStream([readFixture('gemini/stream-text-after-function-response.sse')]))).toMatchInlineSnapshot(`
      [
        "metadata 11peaI_ZJLq3nvgP0vasuQk gemini-2.0-flash",
        "text-start text-0-0",
        "text-delta text-0-0 "The temperature in Paris"",
        "usage in=169 out=undefined reasoning=undefined cached=undefined total=169",
        "text-delta text-0-0 " is 30°C.\\n"",
        "text-end text-0-0",
        "finish stop/STOP",
        "usage in=79 out=12 reasoning=undefined cached=undefined total=91",
      ]
    `);
  });

  it('a whole function call becomes one start/delta/end/call run; STOP with calls → tool-calls', () => {
    expect(summarize(decodeGeminiStream([readFixture('gemini/stream-function-call.sse')]))).toMatchInlineSnapshot(`
      [
        "metadata 1lpeaMTxIpW1nvgP-O3vwQY gemini-2.0-flash",
        "tool-input-start call_1 get_capital",
        "tool-input-delta call_1 "{\\"country\\":\\"France\\"}"",
        "tool-input-end call_1",
        "tool-call call_1 get_capital {"country":"France"}",
        "finish tool-calls/STOP",
        "usage in=52 out=5 reasoning=undefined cached=undefined total=57",
      ]
    `);
  });

  it('Gemini 3 function call: the thought signature rides in the call id and in providerMetadata', () => {
    const events = decodeGeminiStream([readFixture('gemini/stream-function-call-thought-signature.sse')]);
    expect(summarize(events)).toMatchInlineSnapshot(`
      [
        "metadata QUVVadTSNJ6_qtsPvN7J8Q0 gemini-3-pro-preview",
        "tool-input-start call_1__thought__EpwICpk…AXOk15QuFyU=(1425) get_country",
        "tool-input-delta call_1__thought__EpwICpk…AXOk15QuFyU=(1425) "{}"",
        "tool-input-end call_1__thought__EpwICpk…AXOk15QuFyU=(1425)",
        "tool-call call_1__thought__EpwICpk…AXOk15QuFyU=(1425) get_country {} +signature",
        "usage in=29 out=212 reasoning=202 cached=undefined total=241",
        "finish tool-calls/STOP",
        "usage in=29 out=212 reasoning=202 cached=undefined total=241",
      ]
    `);
    const call = events.find((event) => event.type === 'tool-call');
    expect(call?.type === 'tool-call' && call.id.startsWith('call_1__thought__EpwICpkIAXLI2nx')).toBe(true);
    expect(call?.providerMetadata?.gemini?.thoughtSignature).toMatch(/^EpwICpkIAXLI2nx.*AXOk15QuFyU=$/);
  });

  it('thinking: thought parts → one reasoning block; the signature of the first answer part is an empty signed reasoning block before it', () => {
    expect(lastUsageOnly(summarize(decodeGeminiStream([readFixture('gemini/stream-thinking.sse')])))).toMatchInlineSnapshot(`
      [
        "metadata beHBaJfEMIi-qtsP3769-Q8 gemini-2.5-pro",
        "reasoning-start reasoning-0-0",
        "reasoning-delta reasoning-0-0 "**Clarifying User Goals*…ituation.\\n\\n\\n(354)"",
        "reasoning-delta reasoning-0-0 "**Developing a Safety Pr…re steps.\\n\\n\\n(439)"",
        "reasoning-delta reasoning-0-0 "**Prioritizing Safe Cros…itations.\\n\\n\\n(365)"",
        "reasoning-delta reasoning-0-0 "**Crafting Safe Instruct…ocations.\\n\\n\\n(417)"",
        "reasoning-end reasoning-0-0",
        "reasoning-start reasoning-0-1",
        "reasoning-signature reasoning-0-1 CiIB0e2Kb6Syj1a961EfbWv4…gMKlqm/dH8k=(6152)",
        "reasoning-end reasoning-0-1",
        "text-start text-0-2",
        "text-delta text-0-2 "This is a great question…step-by-step(117)"",
        "text-delta text-0-2 " guide that is widely ta…est place is(93)"",
        "text-delta text-0-2 " always at a designated …rians. Avoid(138)"",
        "text-delta text-0-2 " crossing in the middle … Edge of the(97)"",
        "text-delta text-0-2 " Curb\\nStand on the sidew… the traffic(116)"",
        "text-delta text-0-2 " without putting you in …t-Right-Left(95)"",
        "text-delta text-0-2 "\\" rule:\\n*   **Look left*… first.\\n*   (81)"",
        "text-delta text-0-2 "**Look right** for oncom…sure nothing(99)"",
        "text-delta text-0-2 " has changed.\\n*   **List…o see.\\n\\n### (107)"",
        "text-delta text-0-2 "4. Wait for a Safe Gap\\nW… way across.(108)"",
        "text-delta text-0-2 " Don't assume a driver w…with drivers(94)"",
        "text-delta text-0-2 " to ensure they have see…ce it's safe(69)"",
        "text-delta text-0-2 ":\\n*   Walk straight acro…as you cross(98)"",
        "text-delta text-0-2 ". The situation can chan…at block out(98)"",
        "text-delta text-0-2 " the sound of traffic.\\n\\n…trian signal(112)"",
        "text-delta text-0-2 " to show the \\"Walk\\" sign…to walk, you(99)"",
        "text-delta text-0-2 " should still look left …to come to a(104)"",
        "text-delta text-0-2 " complete stop. Make eye…ee you.\\n\\nThe(110)"",
        "text-delta text-0-2 " most important rule is …not see you.(103)"",
        "text-end text-0-2",
        "finish stop/STOP",
        "usage in=34 out=1256 reasoning=787 cached=undefined total=1290",
      ]
    `);
  });

  it('Vertex: createTime → created, trafficType-only usage is skipped, signed text part', () => {
    expect(summarize(decodeGeminiStream([readFixture('gemini/vertex-stream-flex-tier.sse')]))).toMatchInlineSnapshot(`
      [
        "metadata a9--aa6MOKL4vdIPz7X2iQ4 gemini-3-flash-preview 1774116715",
        "reasoning-start reasoning-0-0",
        "reasoning-signature reasoning-0-0 CiQBjz1rX+z7CAOCNB0aLI7y…ym+oXYHLqxz3(724)",
        "reasoning-end reasoning-0-0",
        "text-start text-0-1",
        "text-delta text-0-1 "OK"",
        "text-end text-0-1",
        "finish stop/STOP",
        "usage in=5 out=101 reasoning=100 cached=undefined total=106",
      ]
    `);
  });

  it('Vertex streamFunctionCallArguments: partial args stream as JSON deltas, parallel calls closed by empty functionCall', () => {
    const events = decodeGeminiStream([readFixture('gemini/vertex-stream-function-call-partial-args.sse')]);
    expect(summarize(events)).toMatchInlineSnapshot(`
      [
        "metadata dqHOab6xGLzWodAPkPuViA4 gemini-3.1-pro-preview 1775149430",
        "tool-input-start call_1__thought__CiMBjz1…y5Zy5VsZ0qQ=(1049) getWeather",
        "tool-input-delta call_1__thought__CiMBjz1…y5Zy5VsZ0qQ=(1049) "{\\"location\\":\\"Boston"",
        "tool-input-delta call_1__thought__CiMBjz1…y5Zy5VsZ0qQ=(1049) "\\""",
        "tool-input-delta call_1__thought__CiMBjz1…y5Zy5VsZ0qQ=(1049) "}"",
        "tool-input-end call_1__thought__CiMBjz1…y5Zy5VsZ0qQ=(1049)",
        "tool-call call_1__thought__CiMBjz1…y5Zy5VsZ0qQ=(1049) getWeather {"location":"Boston"} +signature",
        "tool-input-start call_2 getWeather",
        "tool-input-delta call_2 "{\\"location\\":\\"San Francisco"",
        "tool-input-delta call_2 "\\""",
        "tool-input-delta call_2 "}"",
        "tool-input-end call_2",
        "tool-call call_2 getWeather {"location":"San Francisco"}",
        "finish tool-calls/STOP",
        "usage in=26 out=155 reasoning=132 cached=undefined total=181",
      ]
    `);
    const calls = events.filter((event) => event.type === 'tool-call');
    expect(calls.map((call) => call.type === 'tool-call' && JSON.parse(call.arguments))).toEqual([{ location: 'Boston' }, { location: 'San Francisco' }]);
  });
});
