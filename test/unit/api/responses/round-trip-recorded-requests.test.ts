import { describe, expect, it } from 'vitest';
import { decodeResponsesRequest } from '../../../../src/api/responses/decode-responses-request.js';
import { listFixtures, readFixtureJson } from '../../../helpers/fixtures.js';
import { providerFromConfig, upstreamRequest } from '../../providers/openai-responses/provider-from-config.js';

/*
 * Every recorded Responses request body, decoded by the Responses surface into the canonical
 * model and built again by the Responses adapter, must come out as the same request, except
 * for what the gateway adds on purpose: store: false, a string input as a one-item list, an
 * empty instructions string dropped, and strict: true made explicit on function tools.
 */
const provider = providerFromConfig('openai', { keys: [{ value: 'sk-x' }], api: 'responses' });
const REQUESTS = listFixtures('openai-responses').filter((name) => name.endsWith('.request.json'));

function normalise(recorded: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...recorded, store: false };
  if (typeof out.input === 'string') out.input = [{ role: 'user', content: [{ type: 'input_text', text: out.input }] }];
  else {
    out.input = (out.input as Array<Record<string, unknown>>).map((item) =>
      item.role !== undefined && typeof item.content === 'string'
        ? { ...item, content: [{ type: item.role === 'assistant' ? 'output_text' : 'input_text', text: item.content, ...(item.role === 'assistant' ? { annotations: [] } : {}) }] }
        : item,
    );
  }
  if (out.instructions === '') delete out.instructions;
  if (Array.isArray(out.tools)) {
    out.tools = (out.tools as Array<Record<string, unknown>>).map((tool) => (tool.type === 'function' ? { ...tool, strict: tool.strict ?? true } : tool));
  }
  return out;
}

describe('recorded Responses requests survive decode → canonical → encode', () => {
  it('uses every recorded request body', () => {
    expect(REQUESTS).toEqual([
      'openai-responses/function-call.request.json',
      'openai-responses/reasoning-tokens.request.json',
      'openai-responses/stream-function-call.request.json',
      'openai-responses/stream-incomplete-max-output-tokens.request.json',
      'openai-responses/stream-reasoning-summary-code-interpreter.request.json',
      'openai-responses/stream-text-after-function-output.request.json',
    ]);
  });

  for (const name of REQUESTS) {
    it(name, async () => {
      const recorded = readFixtureJson<Record<string, unknown>>(name);
      const { request } = decodeResponsesRequest(recorded);
      const built = await upstreamRequest(provider, request);
      expect(built.url).toBe('POST https://api.openai.com/v1/responses');
      const body = built.body as Record<string, unknown>;
      const expected = normalise(recorded);
      // The system message of reasoning-tokens.request.json is the leading system message:
      // it goes out as `instructions` (the same for the model).
      if (Array.isArray(expected.input) && (expected.input[0] as { role?: string }).role === 'system' && body.instructions !== undefined) {
        const [system, ...rest] = expected.input as Array<{ content: Array<{ text: string }> }>;
        expected.instructions = system!.content[0]!.text;
        expected.input = rest;
      }
      expect(body).toEqual(expected);
      expect(built.warnings).toEqual([]);
    });
  }
});
