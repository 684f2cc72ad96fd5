import { describe, expect, it } from 'vitest';
import { chooseTarget } from '../../../src/router/balance/choose-target.js';
import { fakeProvider, registry, seededRandom, tally, target } from './router-fixtures.js';

const a = fakeProvider('a');
const b = fakeProvider('b');
const c = fakeProvider('c');

describe('weighted', () => {
  it('splits traffic by weight within 1.5 points over 20,000 draws', () => {
    const health = registry();
    const targets = [target(a, 'm', 6), target(b, 'm', 3), target(c, 'm', 1)];
    const random = seededRandom(1);
    const counts = tally(20_000, () => chooseTarget('weighted', targets, health, random));
    expect(counts.get('a/m')! / 20_000).toBeCloseTo(0.6, 1);
    expect(Math.abs(counts.get('a/m')! / 20_000 - 0.6)).toBeLessThan(0.015);
    expect(Math.abs(counts.get('b/m')! / 20_000 - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(counts.get('c/m')! / 20_000 - 0.1)).toBeLessThan(0.015);
  });

  it('never picks a zero-weight target while another has weight', () => {
    const health = registry();
    const targets = [target(a, 'm', 1), target(b, 'm', 0)];
    const random = seededRandom(2);
    const counts = tally(1000, () => chooseTarget('weighted', targets, health, random));
    expect(counts.get('b/m')).toBeUndefined();
  });
});

describe('least in flight', () => {
  it('prefers the idle target', () => {
    const health = registry();
    const busy = target(a, 'm');
    const idle = target(b, 'm');
    health.statsFor(busy).inFlight = 3;
    const random = seededRandom(3);
    const counts = tally(500, () => chooseTarget('least-in-flight', [busy, idle], health, random));
    expect(counts.get('b/m')).toBe(500);
  });

  it('spreads evenly when loads are equal, and weighs load by weight', () => {
    const health = registry();
    const random = seededRandom(4);
    const targets = [target(a, 'm'), target(b, 'm')];
    const even = tally(4000, () => chooseTarget('least-in-flight', targets, health, random));
    expect(Math.abs(even.get('a/m')! / 4000 - 0.5)).toBeLessThan(0.03);
    // Twice the weight carries twice the load before it stops being preferred.
    const heavy = target(a, 'big', 2);
    const light = target(b, 'big', 1);
    health.statsFor(heavy).inFlight = 1;
    health.statsFor(light).inFlight = 1;
    expect(chooseTarget('least-in-flight', [heavy, light], health, random)).toBe(heavy);
  });

  it('simulated: with one slow target, the idle one takes most of the traffic', () => {
    const health = registry();
    const slow = target(a, 'm');
    const fast = target(b, 'm');
    const random = seededRandom(5);
    const finishing: Array<{ at: number; chosen: typeof slow }> = [];
    const counts = new Map<string, number>();
    for (let tick = 0; tick < 2000; tick++) {
      for (const job of finishing.filter((entry) => entry.at <= tick)) health.statsFor(job.chosen).inFlight--;
      finishing.splice(0, finishing.length, ...finishing.filter((entry) => entry.at > tick));
      const chosen = chooseTarget('least-in-flight', [slow, fast], health, random)!;
      health.statsFor(chosen).inFlight++;
      finishing.push({ at: tick + (chosen === slow ? 20 : 2), chosen });
      counts.set(chosen.provider.id, (counts.get(chosen.provider.id) ?? 0) + 1);
    }
    expect(counts.get('b')! / 2000).toBeGreaterThan(0.8);
  });
});

describe('latency-aware (power of two choices over peak EWMA)', () => {
  it('shifts traffic away from a target after it slows down', () => {
    let now = 0;
    const health = registry({ now: () => now });
    const first = target(a, 'm');
    const second = target(b, 'm');
    const random = seededRandom(6);
    for (let index = 0; index < 50; index++) {
      now += 10;
      health.statsFor(first).latency.observe(100, now);
      health.statsFor(second).latency.observe(100, now);
    }
    const before = tally(2000, () => chooseTarget('latency', [first, second], health, random));
    expect(Math.abs(before.get('a/m')! / 2000 - 0.5)).toBeLessThan(0.05);
    // "a" slows down: one slow answer lifts its peak-EWMA score at once.
    now += 10;
    health.statsFor(first).latency.observe(900, now);
    const after = tally(2000, () => chooseTarget('latency', [first, second], health, random));
    expect(after.get('b/m')! / 2000).toBeGreaterThan(0.95);
  });

  it('comes back to a target once its score decays and it answers fast again', () => {
    let now = 0;
    const health = registry({ now: () => now });
    const first = target(a, 'm');
    const second = target(b, 'm');
    health.statsFor(first).latency.observe(900, now);
    health.statsFor(second).latency.observe(100, now);
    // A minute without samples: the refresher decays the slow score toward zero.
    now += 60_000;
    health.refreshScores();
    expect(health.statsFor(first).latency.score).toBeLessThan(100);
    health.statsFor(first).latency.observe(50, now);
    health.statsFor(second).latency.observe(100, now);
    const random = seededRandom(7);
    const counts = tally(1000, () => chooseTarget('latency', [first, second], health, random));
    expect(counts.get('a/m')! / 1000).toBeGreaterThan(0.9);
  });

  it('counts requests in flight: a fast target with a queue loses to an idle one', () => {
    const health = registry();
    const first = target(a, 'm');
    const second = target(b, 'm');
    health.statsFor(first).latency.observe(100, 0);
    health.statsFor(second).latency.observe(150, 0);
    health.statsFor(first).inFlight = 4;
    expect(chooseTarget('latency', [first, second], health, seededRandom(8))).toBe(second);
  });
});

describe('lowest cost', () => {
  it('picks the cheapest target, unknown prices last, ties by weight', () => {
    const health = registry({ prices: { 'a/m': 5, 'b/m': 0.5, 'c/m': 0.5 } });
    const targets = [target(a, 'm'), target(b, 'm', 3), target(c, 'm', 1), target(a, 'unknown')];
    const random = seededRandom(9);
    const counts = tally(4000, () => chooseTarget('cost', targets, health, random));
    expect(counts.get('a/m')).toBeUndefined();
    expect(counts.get('a/unknown')).toBeUndefined();
    expect(Math.abs(counts.get('b/m')! / 4000 - 0.75)).toBeLessThan(0.03);
  });
});
