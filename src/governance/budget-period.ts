/**
 * Budget reset periods: "1m" (minute) to "1mo" (month), e.g. "15m", "1h", "1d", "7d", "1w",
 * "1mo", "3mo". A window is either rolling from an anchor (the budget's start) in fixed steps,
 * or calendar-aligned in UTC (minutes and hours from midnight, days from the epoch, weeks from
 * Monday, months from the 1st and from January for multi-month periods).
 */
export type PeriodUnit = 'm' | 'h' | 'd' | 'w' | 'mo';

export interface BudgetPeriod {
  count: number;
  unit: PeriodUnit;
  /** Length in ms for rolling windows (a month counts 30 days). */
  ms: number;
  /** The canonical text ("1d"). */
  text: string;
}

const UNIT_MS: Record<PeriodUnit, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  mo: 2_592_000_000,
};

const MAX_MS = 366 * 86_400_000;
const DAY = 86_400_000;
/** 1970-01-05 was a Monday. */
const FIRST_MONDAY = 4 * DAY;

export function parseBudgetPeriod(text: string): BudgetPeriod | undefined {
  const match = /^\s*(\d+)\s*(mo|m|h|d|w)\s*$/i.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  const unit = match[2]!.toLowerCase() as PeriodUnit;
  const ms = count * UNIT_MS[unit];
  if (count < 1 || ms > MAX_MS) return undefined;
  return { count, unit, ms, text: `${count}${unit}` };
}

export interface Window {
  start: number;
  end: number;
}

function calendarWindow(now: number, period: BudgetPeriod): Window {
  const { count, unit } = period;
  switch (unit) {
    case 'm':
    case 'h': {
      const day = Math.floor(now / DAY) * DAY;
      const step = count * UNIT_MS[unit];
      const start = day + Math.floor((now - day) / step) * step;
      // A step that does not divide the day is cut at midnight.
      return { start, end: Math.min(start + step, day + DAY) };
    }
    case 'd': {
      const step = count * DAY;
      const start = Math.floor(now / step) * step;
      return { start, end: start + step };
    }
    case 'w': {
      const step = count * UNIT_MS.w;
      const start = FIRST_MONDAY + Math.floor((now - FIRST_MONDAY) / step) * step;
      return { start, end: start + step };
    }
    case 'mo': {
      const date = new Date(now);
      const months = date.getUTCFullYear() * 12 + date.getUTCMonth();
      const year = date.getUTCFullYear();
      const inYear = months - year * 12;
      const first = year * 12 + Math.floor(inYear / count) * count;
      const start = Date.UTC(Math.floor(first / 12), first % 12, 1);
      const endMonth = first + count;
      return { start, end: Date.UTC(Math.floor(endMonth / 12), endMonth % 12, 1) };
    }
  }
}

/**
 * The window containing `now`. Without a period the budget never resets (one window for all
 * time). Rolling windows step from `anchor` (epoch ms).
 */
export function budgetWindow(
  now: number,
  period: BudgetPeriod | undefined,
  calendar: boolean,
  anchor: number,
): Window {
  if (period === undefined) return { start: 0, end: Number.MAX_SAFE_INTEGER };
  if (calendar) return calendarWindow(now, period);
  const start = anchor + Math.floor((now - anchor) / period.ms) * period.ms;
  return { start, end: start + period.ms };
}
