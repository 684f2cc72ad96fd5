import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/core/index.js';
import { ResponsesStreamDecoder } from '../../../../src/providers/openai-responses/responses-stream-decoder.js';
import { listFixtures, readFixture, splitAtRandomOffsets } from '../../../helpers/fixtures.js';
import { decodeSse } from '../../../helpers/decode-stream.js';
import { summarise } from './decode-stream.js';

const STREAMS = [...listFixtures('openai-responses'), ...listFixtures('azure-openai')].filter(
  (name) => name.endsWith('.sse') && (name.startsWith('openai-responses/') || name.includes('/responses-')),
);

function decode(name: string, pieces?: Buffer[]): StreamEvent[] {
  return decodeSse(pieces ?? [readFixture(name)], new ResponsesStreamDecoder('openai'));
}

describe('Responses stream decoder on recorded streams', () => {
  it('covers every Responses stream recording', () => {
    expect(STREAMS).toEqual([
      'openai-responses/stream-cached-tokens.sse',
      'openai-responses/stream-custom-tool.sse',
      'openai-responses/stream-error-insufficient-quota.sse',
      'openai-responses/stream-function-call.sse',
      'openai-responses/stream-incomplete-max-output-tokens.sse',
      'openai-responses/stream-reasoning-summary-code-interpreter.sse',
      'openai-responses/stream-reasoning-summary-step1.sse',
      'openai-responses/stream-reasoning-summary-step4.sse',
      'openai-responses/stream-text-after-function-output.sse',
      'openai-responses/stream-web-search-reasoning-cached-usage.sse',
      'azure-openai/responses-stream-text.sse',
      'azure-openai/responses-stream-tool-call.sse',
    ]);
  });

  for (const name of STREAMS) {
    it(`${name}: the same events whole and cut at arbitrary offsets`, () => {
      const whole = decode(name);
      for (const seed of [1, 7, 42]) {
        expect(decode(name, splitAtRandomOffsets(readFixture(name), seed, 23))).toEqual(whole);
      }
      // Block discipline: every start has one end, deltas only inside open blocks.
      const open = new Set<string>();
      for (const event of whole) {
        if (event.type.endsWith('-start')) open.add(`${event.type.split('-')[0]}:${(event as { id: string }).id}`);
        if (event.type.endsWith('-delta') && event.type !== 'refusal-delta') {
          const kind = event.type === 'tool-input-delta' ? 'tool' : event.type.split('-')[0];
          expect(open.has(`${kind}:${(event as { id: string }).id}`)).toBe(true);
        }
        if (event.type.endsWith('-end')) {
          const key = `${event.type.split('-')[0]}:${(event as { id: string }).id}`;
          expect(open.delete(key)).toBe(true);
        }
      }
      expect(open.size).toBe(0);
      expect(whole[0]?.type).toBe('response-metadata');
    });
  }

  it('text with cached-token usage', () => {
    const summary = summarise(decode('openai-responses/stream-cached-tokens.sse'));
    expect(summary.finish).toBe('stop/completed');
    expect(summary.usage).toMatchObject({ cacheReadTokens: 1390 });
    expect(summary.usage!.inputTokens).toBeGreaterThanOrEqual(1390);
    expect(summary.text.length).toBeGreaterThan(0);
    expect(summary.errors).toEqual([]);
  });

  it('a streamed function call (March 2025 capture, no sequence numbers)', () => {
    const events = decode('openai-responses/stream-function-call.sse');
    const summary = summarise(events);
    expect(summary.calls).toEqual([{ id: 'call_kL0PCQV7M2WMoVX8V8OtYSAL', name: 'get_capital', arguments: '{"country":"France"}' }]);
    expect(summary.finish).toBe('tool-calls/completed');
    expect(events.filter((event) => event.type === 'tool-input-delta').map((event) => (event as { delta: string }).delta)).toEqual([
      '{"',
      'country',
      '":"',
      'France',
      '"}',
    ]);
    const call = events.find((event) => event.type === 'tool-call');
    expect(call?.providerMetadata).toEqual({ 'openai-responses': { itemId: 'fc_67e554a1de488191af0831d35cbe082e0794405d35281ae2' } });
  });

  it('a custom tool call streams its free-form input', () => {
    const summary = summarise(decode('openai-responses/stream-custom-tool.sse'));
    expect(summary.calls).toEqual([{ id: 'call_custom_sql_001', name: 'write_sql', arguments: 'SELECT * FROM users WHERE age > 25' }]);
    const call = decode('openai-responses/stream-custom-tool.sse').find((event) => event.type === 'tool-call');
    expect(call?.providerMetadata).toEqual({ 'openai-responses': { itemId: 'ct_abc123def456', custom: true } });
  });

  it('reasoning summary and encrypted content, then a function call', () => {
    const events = decode('openai-responses/stream-reasoning-summary-step1.sse');
    const summary = summarise(events);
    expect(summary.reasoning).toBe(
      "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.",
    );
    expect(summary.calls).toEqual([{ id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' }]);
    const end = events.find((event) => event.type === 'reasoning-end');
    // The encrypted content of output_item.done (the final one, not the shorter one of .added).
    expect(end).toMatchObject({ type: 'reasoning-end', id: 'rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9' });
    expect((end as { redactedData: string }).redactedData).toMatch(/^gAAAAABpPDIVOKrs/);
    expect((end as { redactedData: string }).redactedData).toHaveLength(1060);
    expect(summary.finish).toBe('tool-calls/completed');
  });

  it('the last step of the same loop: text and usage', () => {
    const summary = summarise(decode('openai-responses/stream-reasoning-summary-step4.sse'));
    expect(summary.text.length).toBeGreaterThan(0);
    expect(summary.finish).toBe('stop/completed');
    expect(summary.usage?.outputTokens).toBeTypeOf('number');
  });

  it('built-in tool items (code interpreter, web search) travel as finish metadata', () => {
    const code = decode('openai-responses/stream-reasoning-summary-code-interpreter.sse');
    const finish = code.find((event) => event.type === 'finish') as Extract<StreamEvent, { type: 'finish' }>;
    const items = finish.providerMetadata?.['openai-responses']?.builtinItems as Array<{ outputIndex: number; item: { type: string } }>;
    expect(items.map((entry) => [entry.outputIndex, entry.item.type])).toEqual([
      [1, 'code_interpreter_call'],
      [2, 'code_interpreter_call'],
      [3, 'code_interpreter_call'],
    ]);
    expect(summarise(code).usage).toMatchObject({ reasoningTokens: expect.any(Number), cacheReadTokens: expect.any(Number) });

    const web = decode('openai-responses/stream-web-search-reasoning-cached-usage.sse');
    const summary = summarise(web);
    expect(summary.usage).toMatchObject({ inputTokens: 9463, cacheReadTokens: 8320, outputTokens: 582, reasoningTokens: 512, totalTokens: 10045 });
    expect(web.filter((event) => event.type === 'reasoning-start')).toHaveLength(2);
    const webFinish = web.find((event) => event.type === 'finish') as Extract<StreamEvent, { type: 'finish' }>;
    expect((webFinish.providerMetadata?.['openai-responses']?.builtinItems as Array<{ item: { type: string } }>)[0]!.item.type).toBe('web_search_call');
  });

  it('a truncated response ends with response.incomplete → length', () => {
    const summary = summarise(decode('openai-responses/stream-incomplete-max-output-tokens.sse'));
    expect(summary.text).toBe('In the bustling city of Detroit, a sleek, metallic blue sedan rolled off the');
    expect(summary.finish).toBe('length/max_output_tokens');
  });

  it('text after a function output', () => {
    const summary = summarise(decode('openai-responses/stream-text-after-function-output.sse'));
    expect(summary.text).toContain('Paris');
    expect(summary.finish).toBe('stop/completed');
  });

  it('an HTTP-200 stream that fails: error event then response.failed', () => {
    const events = decode('openai-responses/stream-error-insufficient-quota.sse');
    expect(events.map((event) => event.type)).toEqual(['response-metadata', 'error']);
    const error = (events[1] as Extract<StreamEvent, { type: 'error' }>).error;
    expect(error).toMatchObject({ code: 'upstream_rate_limited', status: 429, retryable: false });
    expect(error.upstream).toMatchObject({ code: 'insufficient_quota', type: 'insufficient_quota' });
  });

  it('Azure Responses streams decode like OpenAI ones', () => {
    expect(summarise(decode('azure-openai/responses-stream-text.sse'))).toMatchObject({ text: 'Hello', finish: 'stop/completed' });
    const tool = summarise(decode('azure-openai/responses-stream-tool-call.sse'));
    expect(tool.calls).toEqual([{ id: 'call_H5DxLSFnsGhiROnUiDHmgyc8', name: 'weather', arguments: '{"location":"San Francisco"}' }]);
    expect(tool.usage).toMatchObject({ inputTokens: 45, outputTokens: 24 });
    const finish = decode('azure-openai/responses-stream-text.sse').find((event) => event.type === 'finish') as Extract<StreamEvent, { type: 'finish' }>;
    expect(Array.isArray(finish.providerMetadata?.['openai-responses']?.content_filters)).toBe(true);
  });
});
