import { scheduleCoarse } from '../coarse-timers.js';
import { targetId, type Target } from '../target.js';
import { AttemptCancelledError, type DispatchCall, type DispatchResult, type Interceptor, type Lane, type RequestDispatch } from './dispatch-call.js';
import { markCancelled } from './with-attempt-record.js';

export interface HedgingOptions {
  /** routing.hedging: the delay when hedging is on for every route; undefined when off. */
  defaultAfterMs: number | undefined;
}

function distinctTargets(groups: readonly (readonly Target[])[]): number {
  const ids = new Set<string>();
  for (const group of groups) for (const target of group) ids.add(targetId(target));
  return ids.size;
}

/** The plan without the targets this request is using or has seen fail. */
function remainingGroups(job: RequestDispatch): Target[][] {
  const out: Target[][] = [];
  for (const group of job.groups) {
    const left = group.filter((target) => {
      const id = targetId(target);
      return !job.busyTargets.has(id) && !job.failedTargets.has(id) && !job.avoid.has(id);
    });
    if (left.length > 0) out.push(left);
  }
  return out;
}

/**
 * Hedging (off by default): when the first lane has not answered after the threshold, a second
 * lane starts on another target of the plan; the first answer wins and the other lane is
 * aborted (its upstream request cancelled). For streams, "answered" means committed: the first
 * content arrived. The hedge is an extra attempt, so it spends the retry budget.
 */
export function withHedging(options: HedgingOptions): Interceptor {
  return <T>(next: (call: DispatchCall<T>) => Promise<DispatchResult<T>>) =>
    (call: DispatchCall<T>): Promise<DispatchResult<T>> => {
      const routeAfter = call.job.groups[0]?.[0]?.group?.hedgeAfterMs;
      const after = routeAfter === undefined ? options.defaultAfterMs : routeAfter;
      if (after === undefined || after === null || distinctTargets(call.groups) < 2) return next(call);
      return new Promise<DispatchResult<T>>((resolve, reject) => {
        const lanes: Array<{ controller: AbortController; lane: Lane }> = [];
        let settled = false;
        let running = 0;
        let primaryError: unknown;
        let hedgeError: unknown;
        const finish = (): void => {
          settled = true;
          timer.cancel();
        };
        const start = (groups: readonly (readonly Target[])[], reason: string | undefined, primary: boolean): void => {
          const controller = new AbortController();
          const upstream = call.signal;
          if (upstream.aborted) controller.abort(upstream.reason);
          else upstream.addEventListener('abort', () => controller.abort(upstream.reason), { once: true });
          const lane: Lane = { running: [] };
          lanes.push({ controller, lane });
          running++;
          next({ ...call, groups, reason, signal: controller.signal, lane }).then(
            (result) => {
              if (settled) return;
              finish();
              for (const other of lanes) {
                if (other.controller === controller) continue;
                markCancelled(other.lane.running);
                other.controller.abort(new AttemptCancelledError('another attempt answered first (hedging)'));
              }
              resolve(result);
            },
            (error: unknown) => {
              running--;
              if (primary) primaryError = error;
              else hedgeError = error;
              if (settled || running > 0) return;
              finish();
              reject(primaryError ?? hedgeError);
            },
          );
        };
        const timer = scheduleCoarse(after, () => {
          if (settled || running === 0) return;
          const groups = remainingGroups(call.job);
          if (groups.length > 0) start(groups, 'hedge', false);
        });
        start(call.groups, call.reason, true);
      });
    };
}
