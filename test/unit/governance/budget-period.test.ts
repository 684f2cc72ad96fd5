import { describe, expect, it } from 'vitest';
import { budgetWindow, parseBudgetPeriod } from '../../../src/governance/budget-period.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (window: { start: number; end: number }): [string, string] => [
  new Date(window.start).toISOString(),
  new Date(window.end).toISOString(),
];

describe('budget periods', () => {
  it('parses a minute to a year, and nothing else', () => {
    expect(parseBudgetPeriod('1m')).toMatchObject({ count: 1, unit: 'm', ms: 60_000, text: '1m' });
    expect(parseBudgetPeriod(' 15 m ')?.text).toBe('15m');
    expect(parseBudgetPeriod('1mo')).toMatchObject({ unit: 'mo', ms: 30 * 86_400_000 });
    expect(parseBudgetPeriod('12mo')?.text).toBe('12mo');
    for (const bad of ['0d', '1s', '1y', 'day', '13mo', '400d', ''])
      expect(parseBudgetPeriod(bad)).toBeUndefined();
  });

  it('aligns calendar windows to UTC minutes, hours, days, Mondays and months', () => {
    const now = at('2026-03-18T13:47:12.345Z'); // a Wednesday
    expect(iso(budgetWindow(now, parseBudgetPeriod('1m'), true, 0))).toEqual([
      '2026-03-18T13:47:00.000Z',
      '2026-03-18T13:48:00.000Z',
    ]);
    expect(iso(budgetWindow(now, parseBudgetPeriod('15m'), true, 0))).toEqual([
      '2026-03-18T13:45:00.000Z',
      '2026-03-18T14:00:00.000Z',
    ]);
    expect(iso(budgetWindow(now, parseBudgetPeriod('1h'), true, 0))).toEqual([
      '2026-03-18T13:00:00.000Z',
      '2026-03-18T14:00:00.000Z',
    ]);
    expect(iso(budgetWindow(now, parseBudgetPeriod('1d'), true, 0))).toEqual([
      '2026-03-18T00:00:00.000Z',
      '2026-03-19T00:00:00.000Z',
    ]);
    expect(iso(budgetWindow(now, parseBudgetPeriod('1w'), true, 0))).toEqual([
      '2026-03-16T00:00:00.000Z',
      '2026-03-23T00:00:00.000Z',
    ]);
    expect(iso(budgetWindow(now, parseBudgetPeriod('1mo'), true, 0))).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
    ]);
    expect(iso(budgetWindow(now, parseBudgetPeriod('3mo'), true, 0))).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
    ]);
    expect(iso(budgetWindow(at('2026-12-31T23:59:59Z'), parseBudgetPeriod('1mo'), true, 0))).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
    // February has its own length.
    expect(iso(budgetWindow(at('2028-02-29T10:00:00Z'), parseBudgetPeriod('1mo'), true, 0))).toEqual([
      '2028-02-01T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ]);
    // 7 hours does not divide a day: the last window is cut at midnight.
    expect(iso(budgetWindow(at('2026-03-18T22:00:00Z'), parseBudgetPeriod('7h'), true, 0))).toEqual([
      '2026-03-18T21:00:00.000Z',
      '2026-03-19T00:00:00.000Z',
    ]);
  });

  it('rolls windows from the anchor when not calendar-aligned', () => {
    const anchor = at('2026-03-10T09:30:00Z');
    expect(iso(budgetWindow(at('2026-03-18T13:47:00Z'), parseBudgetPeriod('1d'), false, anchor))).toEqual([
      '2026-03-18T09:30:00.000Z',
      '2026-03-19T09:30:00.000Z',
    ]);
    expect(iso(budgetWindow(at('2026-03-18T08:00:00Z'), parseBudgetPeriod('1w'), false, anchor))).toEqual([
      '2026-03-17T09:30:00.000Z',
      '2026-03-24T09:30:00.000Z',
    ]);
    expect(iso(budgetWindow(anchor, parseBudgetPeriod('1h'), false, anchor))).toEqual([
      '2026-03-10T09:30:00.000Z',
      '2026-03-10T10:30:00.000Z',
    ]);
  });

  it('has one window for all time without a period', () => {
    expect(budgetWindow(Date.now(), undefined, false, 0)).toEqual({ start: 0, end: Number.MAX_SAFE_INTEGER });
  });
});
