import type { IncomingHttpHeaders } from 'node:http';

function first(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * OpenAI-style reset durations: "1s", "6m0s", "59ms", "1h2m3.5s".
 * Returns milliseconds or undefined.
 */
export function parseGoDuration(value: string): number | undefined {
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const match of value.matchAll(pattern)) {
    const amount = Number(match[1]);
    const unit = match[2];
    total += unit === 'ms' ? amount : unit === 's' ? amount * 1000 : unit === 'm' ? amount * 60_000 : amount * 3_600_000;
    consumed += match[0].length;
  }
  return consumed === value.trim().length && consumed > 0 ? Math.ceil(total) : undefined;
}

/**
 * When may the request be retried, from the provider's headers, in milliseconds from now:
 * `retry-after-ms`, `retry-after` (seconds or HTTP date), OpenAI `x-ratelimit-reset-*`
 * durations and Anthropic `anthropic-ratelimit-*-reset` timestamps. The longest hint that
 * applies wins, since every exhausted limit must have reset.
 */
export function parseRetryAfter(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const ms = first(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const retryAfter = first(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  let longest: number | undefined;
  const consider = (value: number | undefined): void => {
    if (value !== undefined && (longest === undefined || value > longest)) longest = value;
  };
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const remainingName = name.replace('reset', 'remaining');
    const remaining = first(headers, remainingName);
    const reset = first(headers, name);
    // Only a limit that is exhausted delays the retry.
    if (reset !== undefined && (remaining === undefined || Number(remaining) <= 0)) consider(parseGoDuration(reset));
  }
  for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    const remaining = first(headers, `anthropic-ratelimit-${kind}-remaining`);
    const reset = first(headers, `anthropic-ratelimit-${kind}-reset`);
    if (reset !== undefined && remaining !== undefined && Number(remaining) <= 0) {
      const date = Date.parse(reset);
      if (!Number.isNaN(date)) consider(Math.max(0, date - now));
    }
  }
  return longest;
}
