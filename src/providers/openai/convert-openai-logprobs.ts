import type { ChoiceLogprobs, TokenLogprob } from '../../core/index.js';
import { isRecord } from '../../json/parse-json.js';

function token(value: unknown): TokenLogprob | undefined {
  if (!isRecord(value) || typeof value.token !== 'string' || typeof value.logprob !== 'number') return undefined;
  const out: TokenLogprob = { token: value.token, logprob: value.logprob };
  if (Array.isArray(value.bytes) || value.bytes === null) out.bytes = value.bytes as number[] | null;
  if (Array.isArray(value.top_logprobs)) {
    out.topLogprobs = value.top_logprobs.filter(isRecord).map((top) => ({
      token: String(top.token),
      logprob: Number(top.logprob),
      ...(Array.isArray(top.bytes) || top.bytes === null ? { bytes: top.bytes as number[] | null } : {}),
    }));
  }
  return out;
}

function list(value: unknown): TokenLogprob[] | null | undefined {
  if (value === null) return null;
  if (!Array.isArray(value)) return undefined;
  const out: TokenLogprob[] = [];
  for (const item of value) {
    const converted = token(item);
    if (converted !== undefined) out.push(converted);
  }
  return out;
}

/** OpenAI choices[].logprobs → canonical. */
export function convertOpenAiLogprobs(value: unknown): ChoiceLogprobs | undefined {
  if (!isRecord(value)) return undefined;
  const out: ChoiceLogprobs = {};
  const content = list(value.content);
  const refusal = list(value.refusal);
  if (content !== undefined) out.content = content;
  if (refusal !== undefined) out.refusal = refusal;
  return out;
}

/** Canonical → OpenAI logprobs object. */
export function encodeOpenAiLogprobs(logprobs: ChoiceLogprobs): Record<string, unknown> {
  const encode = (items: TokenLogprob[] | null | undefined) =>
    items === undefined || items === null
      ? null
      : items.map((item) => ({
          token: item.token,
          logprob: item.logprob,
          bytes: item.bytes ?? null,
          top_logprobs: (item.topLogprobs ?? []).map((top) => ({ token: top.token, logprob: top.logprob, bytes: top.bytes ?? null })),
        }));
  return { content: encode(logprobs.content), refusal: encode(logprobs.refusal) };
}
