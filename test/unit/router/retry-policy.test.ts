import { describe, expect, it } from 'vitest';
import { mapOpenAiError } from '../../../src/providers/openai/map-openai-error.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryDelay, retryPolicyFor } from '../../../src/router/retry-policy.js';
import { classifyFailure } from '../../../src/router/classify-failure.js';
import { readFixture } from '../../helpers/fixtures.js';
import { resetHeaders, type ResetHeader } from '../../helpers/fault-upstream.js';
import { fakeProvider, seededRandom } from './router-fixtures.js';

describe('backoff', () => {
  it('grows exponentially with equal jitter and stops at maxDelay', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };
    const random = seededRandom(1);
    for (let retry = 1; retry <= 6; retry++) {
      const ceiling = Math.min(1000, 100 * 2 ** (retry - 1));
      for (let draw = 0; draw < 200; draw++) {
        const delay = backoffDelay(policy, retry, random);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('takes the provider policy with defaults', () => {
    expect(retryPolicyFor(fakeProvider('p', { retry: { attempts: 5, maxRetryAfter: 1000 } }).settings)).toEqual({
      ...DEFAULT_RETRY_POLICY,
      attempts: 5,
      maxRetryAfterMs: 1000,
    });
  });
});

describe('retry-after is honoured from every kind of header', () => {
  // [lowest, highest] milliseconds each header kind can yield for "come back in 1500 ms".
  const expected: Record<ResetHeader, [number, number] | undefined> = {
    'retry-after': [2000, 2000], // whole seconds, rounded up
    'retry-after-date': [1, 1500], // an HTTP date has whole seconds
    'retry-after-ms': [1500, 1500],
    'openai-reset': [1500, 1500], // "1s500ms"
    'anthropic-reset': [1000, 1500], // RFC 3339 with milliseconds, minus the time this test takes
    none: undefined,
  };
  for (const [kind, range] of Object.entries(expected) as Array<[ResetHeader, [number, number] | undefined]>) {
    it(kind, () => {
      const headers = resetHeaders(kind, 1500);
      const error = mapOpenAiError('p', 429, headers, readFixture('openrouter/error-429-upstream-rate-limited.json').toString('utf8'));
      if (range === undefined) expect(error.retryAfterMs).toBeUndefined();
      else {
        expect(error.retryAfterMs).toBeGreaterThanOrEqual(range[0]);
        expect(error.retryAfterMs).toBeLessThanOrEqual(range[1]);
      }
      expect(classifyFailure(error)).toBe('key-rate');
    });
  }

  it('waits the retry-after when given, refuses to wait longer than maxRetryAfter', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 5000 };
    expect(retryDelay(policy, 1, 1500)).toBe(1500);
    expect(retryDelay(policy, 1, 60_000)).toBeUndefined();
    const backoff = retryDelay(policy, 1, undefined, () => 0)!;
    expect(backoff).toBe(DEFAULT_RETRY_POLICY.initialDelayMs / 2);
  });
});

describe('failure classification', () => {
  const error = (status: number, body = '{}') => mapOpenAiError('p', status, {}, body);
  it.each([
    [400, 'client'],
    [401, 'key-auth'],
    [403, 'key-auth'],
    [404, 'target'],
    [422, 'client'],
    [429, 'key-rate'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [529, 'transient'],
  ])('HTTP %i is %s', (status, kind) => {
    expect(classifyFailure(error(status))).toBe(kind);
  });

  it('429 insufficient_quota skips the key instead of waiting', () => {
    expect(classifyFailure(error(429, JSON.stringify({ error: { message: 'quota', code: 'insufficient_quota' } })))).toBe('key-quota');
  });
});
