import { describe, expect, it } from 'vitest';
import { BUILTIN_CATALOG_FILE, ModelCatalog } from '../../../src/catalog/model-catalog.js';
import { reportedCost } from '../../../src/catalog/reported-cost.js';
import type { StreamEvent, Usage } from '../../../src/core/index.js';
import { decodeCohereChatResponse } from '../../../src/providers/cohere/decode-cohere-chat-response.js';
import { decodeCohereRerankResponse } from '../../../src/providers/cohere/cohere-rerank.js';
import { decodeOpenAiChatResponse } from '../../../src/providers/openai/decode-openai-chat-response.js';
import { OpenAiChatStreamDecoder } from '../../../src/providers/openai/openai-chat-stream-decoder.js';
import { decodeSse } from '../../helpers/decode-stream.js';
import { readFixture, readFixtureJson } from '../../helpers/fixtures.js';

/*
 * Cost of recorded real responses, from the shipped catalog (catalog/models.json), each
 * checked against a figure worked out by hand in the comment above it. Prices are USD per
 * million tokens, so every hand sum below is in micro-dollars (1e-6 USD).
 *
 * Usage comes from the gateway's own decoders where this branch has them (OpenAI dialect,
 * Cohere). For Anthropic, Gemini and Bedrock the recorded usage is written out in canonical
 * form in the test, following the conventions of src/core/usage.ts (inputTokens include cache
 * reads and writes, outputTokens include reasoning).
 */

const catalog = ModelCatalog.fromFiles([BUILTIN_CATALOG_FILE]);
const MICRO = 1e-6;

function openAiUsage(fixture: string): Usage {
  return decodeOpenAiChatResponse(readFixtureJson(fixture), 'test').usage!;
}

function streamUsage(fixture: string): Usage {
  const events: StreamEvent[] = decodeSse([readFixture(fixture)], new OpenAiChatStreamDecoder('test'));
  const usage = events.filter((event) => event.type === 'usage').at(-1);
  if (usage?.type !== 'usage') throw new Error(`no usage in ${fixture}`);
  return usage.usage;
}

describe('cost of recorded responses', () => {
  it('OpenAI cached input (openai-chat/stream-cached-tokens.sse, gpt-4o-2024-08-06)', () => {
    const usage = streamUsage('openai-chat/stream-cached-tokens.sse');
    expect(usage).toMatchObject({ inputTokens: 1420, cacheReadTokens: 1280, outputTokens: 100 });
    // gpt-4o: input $2.50, cached input $1.25, output $10.
    // (1420 - 1280) × 2.50 + 1280 × 1.25 + 100 × 10 = 350 + 1600 + 1000 = 2950 µ$
    expect(catalog.cost('openai', 'gpt-4o-2024-08-06', usage)).toBeCloseTo(2950 * MICRO, 12);
  });

  it('OpenAI reasoning tokens are output (openai-chat/reasoning-tokens-o3-mini.json)', () => {
    const usage = openAiUsage('openai-chat/reasoning-tokens-o3-mini.json');
    expect(usage).toMatchObject({ inputTokens: 577, outputTokens: 2320, reasoningTokens: 1792 });
    // o3-mini: input $1.10, output $4.40; the 1792 reasoning tokens are inside the 2320 output.
    // 577 × 1.10 + 2320 × 4.40 = 634.7 + 10208 = 10842.7 µ$
    expect(catalog.cost('openai', 'o3-mini-2025-01-31', usage)).toBeCloseTo(10842.7 * MICRO, 12);
  });

  it('Azure deployment reporting gpt-35-turbo (azure-openai/chat-content-filter-results.json)', () => {
    const usage = openAiUsage('azure-openai/chat-content-filter-results.json');
    // Azure's gpt-35-turbo is priced as openai/gpt-3.5-turbo: $0.50 in, $1.50 out.
    // 18 × 0.50 + 20 × 1.50 = 9 + 30 = 39 µ$
    expect(catalog.cost('azure', 'gpt-35-turbo', usage)).toBeCloseTo(39 * MICRO, 12);
    // A deployment name the catalog cannot know prices as unknown; the pipeline then tries the
    // model the response reported (src/pipeline/cost.ts).
    expect(catalog.cost('azure', 'my-prod-deployment', usage)).toBeNull();
  });

  it('Anthropic cache read + 5-minute cache write (anthropic-messages/cache-read-and-write.json)', () => {
    const raw = readFixtureJson<{ model: string; usage: Record<string, number> }>('anthropic-messages/cache-read-and-write.json').usage;
    // Recorded: input_tokens 3 (uncached), cache_read_input_tokens 1111, cache_creation_input_tokens 418 (all 5m), output 33.
    const usage: Usage = {
      inputTokens: raw.input_tokens! + raw.cache_read_input_tokens! + raw.cache_creation_input_tokens!,
      cacheReadTokens: raw.cache_read_input_tokens!,
      cacheWriteTokens: raw.cache_creation_input_tokens!,
      outputTokens: raw.output_tokens!,
    };
    expect(usage).toEqual({ inputTokens: 1532, cacheReadTokens: 1111, cacheWriteTokens: 418, outputTokens: 33 });
    // claude-sonnet-4-5: input $3, cache hit $0.30, 5m write $3.75, output $15.
    // 3 × 3 + 1111 × 0.30 + 418 × 3.75 + 33 × 15 = 9 + 333.3 + 1567.5 + 495 = 2404.8 µ$
    expect(catalog.cost('anthropic', 'claude-sonnet-4-5-20250929', usage)).toBeCloseTo(2404.8 * MICRO, 12);
  });

  it('Anthropic 1-hour cache write (anthropic-messages/cache-write-1h-ttl.json)', () => {
    const raw = readFixtureJson<{ usage: { input_tokens: number; cache_creation_input_tokens: number; cache_creation: { ephemeral_1h_input_tokens: number }; output_tokens: number } }>(
      'anthropic-messages/cache-write-1h-ttl.json',
    ).usage;
    const usage: Usage = {
      inputTokens: raw.input_tokens + raw.cache_creation_input_tokens,
      cacheWriteTokens: raw.cache_creation_input_tokens,
      cacheWrite1hTokens: raw.cache_creation.ephemeral_1h_input_tokens,
      outputTokens: raw.output_tokens,
    };
    expect(usage).toEqual({ inputTokens: 2073, cacheWriteTokens: 2056, cacheWrite1hTokens: 2056, outputTokens: 100 });
    // claude-sonnet-4: input $3, 1h write $6 (2× input), output $15.
    // 17 × 3 + 2056 × 6 + 100 × 15 = 51 + 12336 + 1500 = 13887 µ$ (at the 5m rate it would be 9261 µ$)
    expect(catalog.cost('anthropic', 'claude-sonnet-4-20250514', usage)).toBeCloseTo(13887 * MICRO, 12);
  });

  it('Claude on Bedrock through a us. cross-region profile pays the 10% regional premium (bedrock-converse/converse-cache-read.json)', () => {
    // Recorded at /model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/converse (fixture manifest).
    // Converse reports inputTokens 2 without the 1322 cacheReadInputTokens; canonical input = 1324.
    const raw = readFixtureJson<{ usage: { inputTokens: number; cacheReadInputTokens: number; cacheWriteInputTokens: number; outputTokens: number } }>(
      'bedrock-converse/converse-cache-read.json',
    ).usage;
    const usage: Usage = {
      inputTokens: raw.inputTokens + raw.cacheReadInputTokens + raw.cacheWriteInputTokens,
      cacheReadTokens: raw.cacheReadInputTokens,
      cacheWriteTokens: raw.cacheWriteInputTokens,
      outputTokens: raw.outputTokens,
    };
    // (2 × 3 + 1322 × 0.30 + 5 × 15) × 1.1 = (6 + 396.6 + 75) × 1.1 = 477.6 × 1.1 = 525.36 µ$
    expect(catalog.cost('bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', usage)).toBeCloseTo(525.36 * MICRO, 12);
    // The global profile has no premium: 477.6 µ$.
    expect(catalog.cost('bedrock', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', usage)).toBeCloseTo(477.6 * MICRO, 12);
  });

  it('Gemini thoughts are output (gemini/thinking.json, gemini-3-pro-preview)', () => {
    const raw = readFixtureJson<{ usageMetadata: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount: number } }>('gemini/thinking.json').usageMetadata;
    // thoughtsTokenCount is reported apart from candidatesTokenCount: output = 736 + 1001.
    const usage: Usage = {
      inputTokens: raw.promptTokenCount,
      outputTokens: raw.candidatesTokenCount + raw.thoughtsTokenCount,
      reasoningTokens: raw.thoughtsTokenCount,
    };
    // gemini-3-pro-preview (prompt ≤ 200k): input $2, output (thinking included) $12.
    // 29 × 2 + 1737 × 12 = 58 + 20844 = 20902 µ$
    expect(catalog.cost('gemini', 'gemini-3-pro-preview', usage)).toBeCloseTo(20902 * MICRO, 12);
    // The same on Vertex AI resolves to the Gemini API entry.
    expect(catalog.cost('vertex', 'gemini-3-pro-preview', usage)).toBeCloseTo(20902 * MICRO, 12);
  });

  it('Gemini long-prompt tier applies to the whole request (gemini-2.5-pro, above 200k prompt tokens)', () => {
    // Not a recording: the tier boundary itself. ≤200k: $1.25 / $10 / cached $0.125; >200k: $2.50 / $15 / cached $0.25.
    const short: Usage = { inputTokens: 200_000, outputTokens: 1_000 };
    // 200000 × 1.25 + 1000 × 10 = 250000 + 10000 = 260000 µ$
    expect(catalog.cost('gemini', 'gemini-2.5-pro', short)).toBeCloseTo(0.26, 12);
    const long: Usage = { inputTokens: 200_001, cacheReadTokens: 100_000, outputTokens: 1_000 };
    // 100001 × 2.50 + 100000 × 0.25 + 1000 × 15 = 250002.5 + 25000 + 15000 = 290002.5 µ$
    expect(catalog.cost('gemini', 'gemini-2.5-pro', long)).toBeCloseTo(290002.5 * MICRO, 12);
  });

  it('DeepSeek cache hits (deepseek/stream-tool-call.sse, deepseek-reasoner)', () => {
    const usage = streamUsage('deepseek/stream-tool-call.sse');
    expect(usage).toMatchObject({ inputTokens: 339, cacheReadTokens: 320, outputTokens: 83, reasoningTokens: 39 });
    // deepseek-reasoner: cache miss $0.55, cache hit $0.14, output (CoT included) $2.19.
    // 19 × 0.55 + 320 × 0.14 + 83 × 2.19 = 10.45 + 44.8 + 181.77 = 237.02 µ$
    expect(catalog.cost('deepseek', 'deepseek-reasoner', usage)).toBeCloseTo(237.02 * MICRO, 12);
  });

  it('xAI reasoning counted apart from completion_tokens; the catalog matches xAI’s own reported cost', () => {
    for (const [fixture, hand] of [
      // grok-3-mini: input $0.30, cached $0.075, output $0.50; output = completion 1 + reasoning 228.
      // (12 - 2) × 0.30 + 2 × 0.075 + 229 × 0.50 = 3 + 0.15 + 114.5 = 117.65 µ$ = 1176500 ticks of 1e-10 $
      ['xai/text.json', 117.65],
      // (291 - 244) × 0.30 + 244 × 0.075 + (26 + 189) × 0.50 = 14.1 + 18.3 + 107.5 = 139.9 µ$ = 1399000 ticks
      ['xai/tool-call-reasoning.json', 139.9],
    ] as const) {
      const usage = openAiUsage(fixture);
      expect(catalog.cost('xai', 'grok-3-mini', usage)).toBeCloseTo(hand * MICRO, 12);
      expect(reportedCost('xai', usage)).toBeCloseTo(hand * MICRO, 12);
    }
  });

  it('OpenRouter: the reported cost, and the same from the catalog (openrouter/stream-reasoning.sse)', () => {
    const usage = streamUsage('openrouter/stream-reasoning.sse');
    // Reported usage.cost 0.000669; catalog anthropic/claude-sonnet-4.5 $3 / $15:
    // 43 × 3 + 36 × 15 = 129 + 540 = 669 µ$
    expect(reportedCost('openrouter', usage)).toBe(0.000669);
    expect(catalog.cost('openrouter', 'anthropic/claude-sonnet-4.5', usage)).toBeCloseTo(669 * MICRO, 12);
  });

  it('Cohere bills billed_units, not the processed tokens (cohere/text.json, cohere/cached-tokens.json)', () => {
    const text = decodeCohereChatResponse(readFixtureJson('cohere/text.json'), 'co', 'command-a-03-2025').usage!;
    // command-a-03-2025: $2.50 / $10. Billed 12 in, 7 out (processed 507 / 10).
    // 12 × 2.50 + 7 × 10 = 30 + 70 = 100 µ$
    expect(catalog.cost('cohere', 'command-a-03-2025', text)).toBeCloseTo(100 * MICRO, 12);
    const cached = decodeCohereChatResponse(readFixtureJson('cohere/cached-tokens.json'), 'co', 'command-r-08-2024').usage!;
    // command-r-08-2024: $0.15 / $0.60. Billed 2406 in, 2 out: 2406 × 0.15 + 2 × 0.60 = 360.9 + 1.2 = 362.1 µ$
    expect(catalog.cost('cohere', 'command-r-08-2024', cached)).toBeCloseTo(362.1 * MICRO, 12);
  });

  it('Cohere rerank is priced per search unit', () => {
    const response = decodeCohereRerankResponse({ results: [{ index: 0, relevance_score: 0.5 }], meta: { billed_units: { search_units: 3 } } }, 'co', 'rerank-v3.5');
    // 3 searches × $0.002 = $0.006
    expect(catalog.cost('cohere', 'rerank-v3.5', response.usage!)).toBeCloseTo(0.006, 12);
  });

  it('unknown models are unknown, never free', () => {
    const usage = streamUsage('deepseek/stream-reasoning-content.sse');
    expect(catalog.cost('deepseek', 'deepseek-v4-pro', usage)).toBeNull();
    expect(catalog.cost('openai', 'gpt-nonexistent', { inputTokens: 1, outputTokens: 1 })).toBeNull();
    // A model known without a public price (Cohere's Command A Reasoning) is unknown too.
    expect(catalog.cost('cohere', 'command-a-reasoning-08-2025', { inputTokens: 1, outputTokens: 1 })).toBeNull();
  });
});
