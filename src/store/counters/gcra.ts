/**
 * The generic cell rate algorithm: each limit keeps one number, the theoretical arrival time
 * (TAT). A unit of cost moves it forward by period/limit; a request fits while the TAT stays
 * within one period of now. Smooth like a sliding window, with O(1) state and no edge bursts.
 *
 * Token limits are lenient: a request is admitted while any capacity remains (its estimate is
 * then counted in full and corrected when it ends), so one large request is not refused forever.
 */
const EPSILON = 1e-6;

export interface GcraDecision {
  allowed: boolean;
  /** The TAT to store when allowed. */
  tat: number;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
}

export function gcraTake(
  storedTat: number | undefined,
  now: number,
  limit: number,
  periodMs: number,
  cost: number,
  lenient: boolean,
): GcraDecision {
  const interval = periodMs / limit;
  const base = Math.max(storedTat ?? now, now);
  const next = base + cost * interval;
  const allowed = lenient ? base - now < periodMs - EPSILON : next - now <= periodMs + EPSILON;
  const tat = allowed ? next : base;
  return {
    allowed,
    tat,
    remaining: Math.max(0, Math.floor((periodMs - (tat - now)) / interval + EPSILON)),
    resetMs: Math.max(0, Math.ceil(tat - now)),
    retryAfterMs: allowed
      ? 0
      : Math.max(1, Math.ceil(lenient ? base - now - periodMs + 1 : next - periodMs - now)),
  };
}

/** State without taking anything. */
export function gcraPeek(
  storedTat: number | undefined,
  now: number,
  limit: number,
  periodMs: number,
): { remaining: number; resetMs: number } {
  const interval = periodMs / limit;
  const base = Math.max(storedTat ?? now, now);
  return {
    remaining: Math.max(0, Math.floor((periodMs - (base - now)) / interval + EPSILON)),
    resetMs: Math.max(0, Math.ceil(base - now)),
  };
}

/** Move the TAT by `delta` units (a correction); undefined means nothing left to store. */
export function gcraAdjust(
  storedTat: number | undefined,
  now: number,
  limit: number,
  periodMs: number,
  delta: number,
): number | undefined {
  const interval = periodMs / limit;
  if (delta >= 0) return Math.max(storedTat ?? now, now) + delta * interval;
  if (storedTat === undefined || storedTat <= now) return storedTat;
  return Math.max(now, storedTat + delta * interval);
}
