import type { ChoiceLogprobs, TokenLogprob } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

/**
 * Cohere logprobs (`[{text, token_ids, logprobs}]`, one entry per decoded text span) →
 * canonical token logprobs. A span of several token ids becomes one entry whose logprob is the
 * sum of its tokens' (the log of their joint probability).
 */
export function convertCohereLogprobs(logprobs: unknown): ChoiceLogprobs | undefined {
  if (!Array.isArray(logprobs) || logprobs.length === 0) return undefined;
  const content: TokenLogprob[] = [];
  for (const item of logprobs) {
    if (!isRecord(item) || typeof item.text !== 'string') continue;
    const values = Array.isArray(item.logprobs) ? item.logprobs.filter((value): value is number => typeof value === 'number') : [];
    content.push({
      token: item.text,
      logprob: values.reduce((sum, value) => sum + value, 0),
      bytes: [...Buffer.from(item.text, 'utf8')],
    });
  }
  return { content };
}
