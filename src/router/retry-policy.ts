import type { ProviderSettings } from '../providers/provider-settings.js';

/** A provider's retry policy with defaults applied (docs/routing.md). */
export interface RetryPolicy {
  /** Retries after the first attempt, within one group of targets. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** A longer retry-after is not waited for: the request moves on to another target. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 2,
  initialDelayMs: 250,
  maxDelayMs: 8000,
  multiplier: 2,
  maxRetryAfterMs: 30_000,
};

export function retryPolicyFor(settings: ProviderSettings): RetryPolicy {
  const retry = settings.retry;
  if (retry === undefined) return DEFAULT_RETRY_POLICY;
  return {
    attempts: retry.attempts ?? DEFAULT_RETRY_POLICY.attempts,
    initialDelayMs: retry.initialDelay ?? DEFAULT_RETRY_POLICY.initialDelayMs,
    maxDelayMs: retry.maxDelay ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    multiplier: retry.multiplier ?? DEFAULT_RETRY_POLICY.multiplier,
    maxRetryAfterMs: retry.maxRetryAfter ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
  };
}

/**
 * Exponential backoff with "equal jitter": the n-th retry (1-based) waits between half and all
 * of min(maxDelay, initialDelay × multiplier^(n-1)), so retries of many requests spread out
 * without ever retrying at once.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, retry - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * How long to wait before retrying the same target: the provider's retry-after (retry-after,
 * retry-after-ms or rate-limit reset headers, already parsed onto the error) when it gave one,
 * else the backoff. Undefined when the provider asks for a longer wait than the policy allows.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs: number | undefined, random?: () => number): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs > policy.maxRetryAfterMs ? undefined : retryAfterMs;
  return backoffDelay(policy, retry, random);
}
