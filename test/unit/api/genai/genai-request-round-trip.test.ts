import { describe, expect, it } from 'vitest';
import { decodeGenAiChatRequest } from '../../../../src/api/genai/decode-genai-request.js';
import type { Warning } from '../../../../src/core/index.js';
import { convertToGeminiRequest } from '../../../../src/providers/gemini/convert-to-gemini-request.js';
import { listFixtures, readFixtureJson } from '../../../helpers/fixtures.js';

type Json = Record<string, unknown>;

const REQUESTS = listFixtures('gemini').filter((name) => name.endsWith('.request.json'));

/**
 * What a recorded request body means, independent of spelling: structural keys camel-cased
 * (clients send snake_case too), no ids on function calls/responses (Gemini matches by name
 * and order; the gateway does not send them), no role on the system instruction (ignored by
 * Gemini), no empty generationConfig.
 */
function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normalise(item, key));
  if (typeof value !== 'object' || value === null) return value;
  const structural = !['args', 'response', 'parameters', 'parametersJsonSchema', 'responseSchema', 'responseJsonSchema'].includes(key);
  const out: Json = {};
  for (const [name, item] of Object.entries(value)) {
    const camel = structural ? name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase()) : name;
    if (structural && camel === 'id' && (key === 'functionCall' || key === 'functionResponse')) continue;
    if (key === 'systemInstruction' && camel === 'role') continue;
    if (camel === 'generationConfig' && typeof item === 'object' && item !== null && Object.keys(item).length === 0) continue;
    out[camel] = normalise(item, camel);
  }
  return out;
}

describe('GenAI surface → canonical → Gemini provider reproduces recorded requests', () => {
  it('covers every recorded request', () => {
    expect(REQUESTS).toHaveLength(12);
  });

  for (const name of REQUESTS) {
    it(name, () => {
      const original = readFixtureJson<Json>(name);
      const decoded = decodeGenAiChatRequest(original, { headers: {}, params: { model: 'gemini-2.5-flash' }, query: undefined }, false);
      const warnings: Warning[] = [];
      const rebuilt = convertToGeminiRequest(decoded.request, { model: 'gemini-2.5-flash', providerName: 'gemini', requireMimeType: false }, warnings);
      expect(normalise(rebuilt)).toEqual(normalise(original));
      expect(warnings).toEqual([]);
    });
  }
});
