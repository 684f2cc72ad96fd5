import { describe, expect, it } from 'vitest';
import type { ChatResponse, StreamEvent } from '../../../../src/core/index.js';
import { decodeOpenAiChatResponse } from '../../../../src/providers/openai/decode-openai-chat-response.js';
import { OpenAiChatStreamDecoder } from '../../../../src/providers/openai/openai-chat-stream-decoder.js';
import { decodeOpenAiEmbeddingResponse } from '../../../../src/providers/openai/openai-embeddings.js';
import { accumulateEvents } from '../../../../src/pipeline/stream-accumulator.js';
import { SseParser } from '../../../../src/transport/sse-parser.js';
import { listFixtures, readFixture, readFixtureJson, splitAtRandomOffsets } from '../../../helpers/fixtures.js';
import { readOpenAiSseRecording } from '../../../helpers/openai-stream-reference.js';

/*
 * The OpenAI chat dialect (OpenAI and every OpenAI-compatible vendor) on recorded real traffic.
 * Streams are checked against an independent, naive reading of the same file (concatenate
 * content, reasoning and tool-call argument deltas per choice; last finish reason; last usage),
 * fed whole and cut at random offsets.
 */

const VENDOR_FOLDERS = ['openai-chat', 'deepseek', 'groq', 'mistral', 'openrouter', 'perplexity', 'xai'];

function decodeStream(pieces: Buffer[]): StreamEvent[] {
  const events: StreamEvent[] = [];
  const decoder = new OpenAiChatStreamDecoder('test');
  const parser = new SseParser((event) => {
    if (event !== null) decoder.push(event, (e) => events.push(e));
  });
  for (const piece of pieces) parser.push(piece);
  parser.end();
  decoder.end((e) => events.push(e));
  return events;
}

function textOf(response: ChatResponse, index: number, type: 'text' | 'reasoning'): string {
  return (response.choices.find((choice) => choice.index === index)?.content ?? [])
    .map((part) => (part.type === type ? part.text : ''))
    .join('');
}

const streams = VENDOR_FOLDERS.flatMap(listFixtures).filter((name) => name.endsWith('.sse'));

describe('OpenAI-dialect stream decoder on recorded streams', () => {
  it.each(streams)('%s', (name) => {
    const bytes = readFixture(name);
    const expected = readOpenAiSseRecording(bytes.toString('utf8'));
    const whole = decodeStream([bytes]);
    const accumulated = accumulateEvents(whole);
    const response = accumulated.response();
    for (const [index, text] of expected.text) expect(textOf(response, index, 'text')).toBe(text);
    for (const [index, text] of expected.reasoning) expect(textOf(response, index, 'reasoning')).toBe(text);
    for (const [index, tools] of expected.tools) {
      const calls = response.choices.find((choice) => choice.index === index)!.content.filter((part) => part.type === 'tool-call');
      expect(calls.map((call) => ({ name: call.name, arguments: call.arguments }))).toEqual(tools.map((tool) => ({ name: tool.name, arguments: tool.arguments })));
      for (const [at, tool] of tools.entries()) if (tool.id) expect(calls[at]!.id).toBe(tool.id);
    }
    for (const [index, reason] of expected.finish) {
      expect(response.choices.find((choice) => choice.index === index)?.finishReason.raw).toBe(reason);
    }
    if (expected.usage !== undefined) {
      expect(response.usage?.raw).toEqual(expected.usage);
      expect(response.usage?.inputTokens).toBe(expected.usage.prompt_tokens);
    }
    expect(accumulated.error !== undefined).toBe(expected.error);
    // Every block is opened before it is used and closed exactly once.
    const open = new Set<string>();
    for (const event of whole) {
      if (event.type.endsWith('-start')) open.add((event as { id: string }).id);
      if (event.type.endsWith('-delta') && event.type !== 'refusal-delta') expect(open.has((event as { id: string }).id)).toBe(true);
      if (event.type.endsWith('-end')) expect(open.delete((event as { id: string }).id)).toBe(true);
    }
    expect(open.size).toBe(0);
    for (let seed = 1; seed <= 10; seed++) expect(decodeStream(splitAtRandomOffsets(bytes, seed, 50))).toEqual(whole);
  });

  it('reports a stream that ends without a finish reason as an error', () => {
    const bytes = readFixture('openai-chat/stream-text.sse');
    const cut = bytes.toString('utf8').split('\n\n').slice(0, 3).join('\n\n') + '\n\n';
    const events = decodeStream([Buffer.from(cut)]);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'stream_error', retryable: true } });
  });

  it('maps Groq mid-stream error events to canonical errors with the provider code', () => {
    const events = decodeStream([readFixture('groq/stream-midstream-error-tool-use-failed.sse')]);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_bad_request', status: 400, upstream: { code: 'tool_use_failed' } } });
  });

  it('emits usage from an OpenRouter error chunk and then the error', () => {
    const events = decodeStream([readFixture('openrouter/stream-midstream-error.sse')]);
    const usage = events.filter((event) => event.type === 'usage');
    expect(usage.at(-1)).toMatchObject({ usage: { inputTokens: 43, outputTokens: 10, reasoningTokens: 11 } });
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { message: 'Token limit reached' } });
  });

  it('decodes n=3 interleaved choices into three choices with their own finish', () => {
    const response = accumulateEvents(decodeStream([readFixture('openai-chat/stream-n3-multiple-choices.sse')])).response();
    expect(response.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    for (const choice of response.choices) expect(choice.finishReason.unified).toBe('stop');
  });

  it('keeps logprobs and refusals', () => {
    const refusal = accumulateEvents(decodeStream([readFixture('openai-chat/stream-refusal-logprobs.sse')])).response();
    const choice = refusal.choices[0]!;
    expect(choice.content.find((part) => part.type === 'refusal')?.text).toMatch(/sorry/i);
    expect(choice.logprobs?.refusal?.length).toBeGreaterThan(0);
    const logprobs = accumulateEvents(decodeStream([readFixture('openai-chat/stream-logprobs.sse')])).response();
    expect(logprobs.choices[0]!.logprobs?.content?.map((item) => item.token).join('')).toBe(textOf(logprobs, 0, 'text'));
  });
});

const bodies = VENDOR_FOLDERS.flatMap(listFixtures).filter(
  (name) => name.endsWith('.json') && !name.endsWith('.request.json') && !name.endsWith('.headers.json') && !name.includes('/error-'),
);

describe('OpenAI-dialect response decoder on recorded bodies', () => {
  it.each(bodies)('%s', (name) => {
    const body = readFixtureJson<Record<string, any>>(name);
    const response = decodeOpenAiChatResponse(body, 'test');
    expect(response.id).toBe(body.id);
    expect(response.model).toBe(body.model);
    expect(response.choices).toHaveLength(body.choices.length);
    for (const [position, choice] of body.choices.entries()) {
      const decoded = response.choices[position]!;
      const message = choice.message;
      const text = typeof message.content === 'string' ? message.content : Array.isArray(message.content) ? message.content.filter((c: any) => c.type === 'text').map((c: any) => c.text).join('') : '';
      expect(decoded.content.filter((part) => part.type === 'text').map((part) => part.text).join('')).toBe(text);
      const reasoning = message.reasoning_content ?? message.reasoning ?? (Array.isArray(message.content) ? message.content.filter((c: any) => c.type === 'thinking').map((c: any) => c.thinking.map((t: any) => t.text).join('')).join('') : '');
      expect(decoded.content.filter((part) => part.type === 'reasoning').map((part) => part.text).join('')).toBe(reasoning ?? '');
      const calls = decoded.content.filter((part) => part.type === 'tool-call');
      expect(calls.map((call) => [call.id, call.name, call.arguments])).toEqual(
        (message.tool_calls ?? []).map((call: any) => [call.id, call.function.name, call.function.arguments]),
      );
      expect(decoded.finishReason.raw ?? null).toBe(choice.finish_reason ?? null);
      if (message.refusal) expect(decoded.content.find((part) => part.type === 'refusal')?.text).toBe(message.refusal);
    }
    expect(response.usage?.raw).toEqual(body.usage);
    expect(response.usage?.inputTokens).toBe(body.usage.prompt_tokens);
  });

  it('reads cached, reasoning and vendor-specific usage fields', () => {
    expect(decodeOpenAiChatResponse(readFixtureJson('openai-chat/cached-tokens.json'), 't').usage).toMatchObject({ inputTokens: 4020, cacheReadTokens: 4012, outputTokens: 4 });
    expect(decodeOpenAiChatResponse(readFixtureJson('openai-chat/reasoning-tokens-o3-mini.json'), 't').usage).toMatchObject({ outputTokens: 2320, reasoningTokens: 1792 });
    expect(decodeOpenAiChatResponse(readFixtureJson('deepseek/json-mode.json'), 't').usage).toMatchObject({ inputTokens: 495, cacheReadTokens: 320, outputTokens: 144, reasoningTokens: 118 });
    // xAI counts reasoning apart from completion_tokens: 1 + 228 generated tokens.
    expect(decodeOpenAiChatResponse(readFixtureJson('xai/text.json'), 't').usage).toMatchObject({ inputTokens: 12, outputTokens: 229, reasoningTokens: 228, totalTokens: 241 });
  });

  it('keeps Perplexity citations and Groq extras as provider metadata, and think tags as sent', () => {
    const perplexity = decodeOpenAiChatResponse(readFixtureJson('perplexity/text-citations.json'), 't');
    expect((perplexity.providerMetadata?.openai?.citations as string[]).length).toBe(6);
    const groq = decodeOpenAiChatResponse(readFixtureJson('groq/reasoning-raw-think-tags.json'), 't');
    // reasoning_format "raw" was the client's choice: the <think> text stays in the content.
    expect(textOf(groq, 0, 'text').startsWith('<think>')).toBe(true);
    expect(groq.providerMetadata?.openai?.x_groq).toBeDefined();
  });
});

describe('OpenAI embeddings decoder', () => {
  it('decodes float and base64 vectors in index order', () => {
    const float = decodeOpenAiEmbeddingResponse(readFixtureJson('openai-embeddings/embedding-float.json'), 't');
    expect((float.embeddings[0] as number[]).length).toBe(1536);
    expect(float.usage).toMatchObject({ inputTokens: 2, totalTokens: 2 });
    const base64 = decodeOpenAiEmbeddingResponse(readFixtureJson('openai-embeddings/embedding-base64.json'), 't');
    expect(typeof base64.embeddings[0]).toBe('string');
    expect(Buffer.from(base64.embeddings[0] as string, 'base64').length).toBe(512 * 4);
    const trimmed = decodeOpenAiEmbeddingResponse(readFixtureJson('openai-embeddings/embedding-trimmed.json'), 't');
    expect(trimmed.embeddings).toHaveLength(2);
  });
});
