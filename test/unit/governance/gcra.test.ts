import { describe, expect, it } from 'vitest';
import { gcraAdjust, gcraPeek, gcraTake } from '../../../src/store/counters/gcra.js';

describe('GCRA', () => {
  it('allows a full burst, then one request per interval', () => {
    let tat: number | undefined;
    const now = 1_000_000;
    for (let index = 0; index < 10; index++) {
      const decision = gcraTake(tat, now, 10, 10_000, 1, false);
      expect(decision.allowed).toBe(true);
      expect(decision.remaining).toBe(9 - index);
      tat = decision.tat;
    }
    const refused = gcraTake(tat, now, 10, 10_000, 1, false);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1000, resetMs: 10_000 });
    expect(gcraTake(tat, now + 999, 10, 10_000, 1, false).allowed).toBe(false);
    expect(gcraTake(tat, now + 1000, 10, 10_000, 1, false).allowed).toBe(true);
  });

  it('has no fixed-window edge: a burst at the end of a window does not double at the start of the next', () => {
    let tat: number | undefined;
    let allowed = 0;
    // 10 per 10 s, 20 attempts within 2 ms around a window boundary.
    for (let index = 0; index < 20; index++) {
      const decision = gcraTake(tat, 9_999 + (index % 2), 10, 10_000, 1, false);
      if (decision.allowed) {
        allowed++;
        tat = decision.tat;
      }
    }
    expect(allowed).toBe(10);
  });

  it('admits token costs leniently while capacity remains, and corrects them', () => {
    const first = gcraTake(undefined, 0, 1000, 60_000, 5000, true);
    expect(first.allowed).toBe(true);
    expect(first.remaining).toBe(0);
    expect(gcraTake(first.tat, 0, 1000, 60_000, 1, true).allowed).toBe(false);
    const corrected = gcraAdjust(first.tat, 0, 1000, 60_000, -4900);
    expect(gcraPeek(corrected, 0, 1000, 60_000).remaining).toBe(900);
    expect(gcraAdjust(undefined, 0, 1000, 60_000, -10)).toBeUndefined();
    expect(gcraAdjust(undefined, 0, 1000, 60_000, 100)).toBe(6000);
  });
});
