import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../../src/router/retry-budget.js';

describe('retry budget', () => {
  it('allows retries up to ratio × requests plus the per-second minimum over the window', () => {
    const clock = { now: 0 };
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 0.5, windowMs: 10_000 }, () => clock.now);
    for (let index = 0; index < 100; index++) budget.recordRequest();
    let allowed = 0;
    while (budget.tryRetry()) allowed++;
    // 0.2 × 100 + 0.5/s × 10 s
    expect(allowed).toBe(25);
    expect(budget.snapshot()).toMatchObject({ requests: 100, retries: 25, remaining: 0 });
  });

  it('a quiet gateway can still retry (the minimum), a spent budget refills as the window moves', () => {
    const clock = { now: 0 };
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 1, windowMs: 5000 }, () => clock.now);
    let allowed = 0;
    while (budget.tryRetry()) allowed++;
    expect(allowed).toBe(5);
    clock.now += 6000;
    expect(budget.tryRetry()).toBe(true);
  });

  it('with ratio 0 and no minimum nothing is retried', () => {
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 0, windowMs: 10_000 });
    budget.recordRequest();
    expect(budget.tryRetry()).toBe(false);
  });
});
