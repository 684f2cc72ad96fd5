import { describe, expect, it } from 'vitest';
import { formatResetDuration, limitHeaders } from '../../../src/governance/limit-headers.js';

describe('rate-limit and budget headers', () => {
  it('writes durations as OpenAI does', () => {
    expect(formatResetDuration(20)).toBe('20ms');
    expect(formatResetDuration(1500)).toBe('1.5s');
    expect(formatResetDuration(360_000)).toBe('6m0s');
    expect(formatResetDuration(3_723_000)).toBe('1h2m3s');
  });

  it('reports the tightest limit of each kind and the budget with the least left', () => {
    const subject = { scope: 'team' as const, id: 't' };
    const headers = limitHeaders(
      [
        {
          charge: { counter: 'a', subject, kind: 'requests', limit: 100, periodMs: 60_000, cost: 1 },
          state: { remaining: 50, resetMs: 30_000 },
        },
        {
          charge: { counter: 'b', subject, kind: 'requests', limit: 10, periodMs: 60_000, cost: 1 },
          state: { remaining: 2, resetMs: 48_000 },
        },
        {
          charge: { counter: 'c', subject, kind: 'tokens', limit: 1000, periodMs: 60_000, cost: 10 },
          state: { remaining: 990, resetMs: 600 },
        },
      ],
      [
        {
          charge: {
            counter: 'x',
            subject: { scope: 'virtual-key', id: 'k' },
            window: { start: 0, end: 10_000 },
            limitNano: 5e9,
            amountNano: 1,
          },
          state: { spentNano: 1e9, reservedNano: 0 },
        },
        {
          charge: { counter: 'y', subject, window: { start: 0, end: 20_000 }, limitNano: 2e9, amountNano: 1 },
          state: { spentNano: 1.5e9, reservedNano: 2.5e8 },
        },
      ],
      5000,
    );
    expect(headers).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '48s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '990',
      'x-ratelimit-reset-tokens': '600ms',
      'x-switchyard-budget-limit-usd': '2.000000',
      'x-switchyard-budget-remaining-usd': '0.250000',
      'x-switchyard-budget-scope': 'team:t',
      'x-switchyard-budget-reset': '15s',
    });
  });
});
