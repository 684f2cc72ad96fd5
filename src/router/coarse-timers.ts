/**
 * Coarse timers for the hot path (deadlines, first-token timeouts, hedging delays): one shared
 * interval ticking every RESOLUTION_MS while any timer is pending, instead of a native timer per
 * request (the pattern of undici's lib/util/timers.js). A timer fires up to RESOLUTION_MS late.
 */
export const RESOLUTION_MS = 25;

export interface CoarseTimer {
  /** Stop the timer; harmless after it fired. */
  cancel(): void;
}

interface Entry extends CoarseTimer {
  due: number;
  fire: () => void;
}

const pending = new Set<Entry>();
let ticker: NodeJS.Timeout | undefined;

function tick(): void {
  const now = performance.now();
  for (const entry of pending) {
    if (entry.due > now) continue;
    pending.delete(entry);
    try {
      entry.fire();
    } catch {
      // A timer callback must not break the others.
    }
  }
  if (pending.size === 0 && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

/** Call `fire` once, `delayMs` from now (give or take RESOLUTION_MS). */
export function scheduleCoarse(delayMs: number, fire: () => void): CoarseTimer {
  const entry: Entry = {
    due: performance.now() + delayMs,
    fire,
    cancel() {
      pending.delete(entry);
    },
  };
  pending.add(entry);
  if (ticker === undefined) {
    ticker = setInterval(tick, RESOLUTION_MS);
    ticker.unref();
  }
  return entry;
}

/** Pending coarse timers (tests check that nothing leaks). */
export function pendingCoarseTimers(): number {
  return pending.size;
}
