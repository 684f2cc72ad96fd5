import type { GatewayError } from '../../core/index.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { AttemptRecord } from '../../pipeline/request-record.js';
import type { ProviderKey } from '../../providers/provider-settings.js';
import type { Target } from '../target.js';

/**
 * Runs one attempt against one target with one key. Throws a GatewayError on failure. `signal`
 * aborts the attempt (client gone, deadline, hedge lost); pass it to the upstream call.
 */
export type AttemptFunction<T> = (target: Target, key: ProviderKey | undefined, attempt: AttemptRecord, signal: AbortSignal) => Promise<T>;

export interface DispatchResult<T> {
  result: T;
  target: Target;
  key: ProviderKey | undefined;
}

/** State shared by every attempt of one request (and by both lanes when hedging). */
export interface RequestDispatch {
  readonly context: RequestContext;
  /** The plan, split into groups of alternatives (the first group, then each fallback). */
  readonly groups: readonly (readonly Target[])[];
  /** performance.now() after which no attempt starts and running ones are aborted. */
  deadline: number;
  /** Upstream attempts started; every one after the first spends the retry budget. */
  attempts: number;
  /** Targets this request may route around ("provider/model"): ejected, within the allowed share. */
  readonly avoid: Set<string>;
  /** Targets that failed for this request. */
  readonly failedTargets: Set<string>;
  /** Targets an attempt of this request is using right now (a hedge picks another). */
  readonly busyTargets: Set<string>;
  /** Keys ("provider/key") refused for this request (401/403, quota): never used again by it. */
  readonly refusedKeys: Set<string>;
  /** Keys ("provider/key") rate limited during this request: used again only when no other is left. */
  readonly limitedKeys: Set<string>;
  /** A key name the client pinned with x-switchyard-key. */
  readonly pinnedKey: string | undefined;
  /** Retries per group the client asked for with x-switchyard-retries (overrides the policy). */
  readonly maxRetries: number | undefined;
  /** A shorter deadline the client asked for with x-switchyard-timeout, in milliseconds. */
  readonly timeoutMs: number | undefined;
  /** The last upstream failure, reported when nothing is left to try. */
  lastError: GatewayError | undefined;
  /** The retry budget refused a retry: nothing more is tried for this request. */
  budgetSpent: boolean;
}

/** Attempts of one hedging lane, so the loser's can be marked cancelled when the winner answers. */
export interface Lane {
  readonly running: Array<{ entry: AttemptRecord; started: number }>;
}

/**
 * One step of dispatch, narrowed as it goes in: the request-level interceptors see only the
 * request, the fallback interceptor sets `group`, the retry interceptor `target`, the key
 * interceptor `key`, the attempt-record interceptor `entry`.
 */
export interface DispatchCall<T> {
  readonly job: RequestDispatch;
  readonly run: AttemptFunction<T>;
  readonly signal: AbortSignal;
  /** The groups this lane walks (all of them; a hedge lane skips targets already busy). */
  readonly groups: readonly (readonly Target[])[];
  /** Why the next attempt is made: undefined for the first, "fallback", "retry after 429", "hedge", ... */
  readonly reason: string | undefined;
  readonly group?: readonly Target[];
  readonly target?: Target;
  readonly key?: ProviderKey;
  readonly entry?: AttemptRecord;
  /** Set when hedging runs more than one lane. */
  readonly lane?: Lane;
}

export type Dispatch<T> = (call: DispatchCall<T>) => Promise<DispatchResult<T>>;

/** Wraps a dispatch step: small, named, built from an options object (STYLE #11). */
export type Interceptor = <T>(next: Dispatch<T>) => Dispatch<T>;

/** Compose interceptors, outermost first, around the innermost step. */
export function composeDispatch<T>(interceptors: readonly Interceptor[], innermost: Dispatch<T>): Dispatch<T> {
  let dispatch = innermost;
  for (let index = interceptors.length - 1; index >= 0; index--) dispatch = interceptors[index]!(dispatch);
  return dispatch;
}

/** The innermost step: run the attempt function. */
export function runAttempt<T>(call: DispatchCall<T>): Promise<DispatchResult<T>> {
  const target = call.target!;
  return call.run(target, call.key, call.entry!, call.signal).then((result) => ({ result, target, key: call.key }));
}

/** Why an attempt was cancelled by the gateway itself (hedge lost). Not an upstream failure. */
export class AttemptCancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttemptCancelledError';
  }
}
