import type { Logger } from 'pino';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import { routingSchema } from '../config/schema.js';
import { ConfigError } from '../config/load-config.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { Operation } from '../pipeline/request-record.js';
import type { Provider } from '../providers/provider.js';
import { blendedPrice } from './balance/target-price.js';
import { RoutingTable, type RoutingConfig } from './compile-routes.js';
import { createRequestDispatch } from './create-request-dispatch.js';
import { HealthRegistry } from './health/health-registry.js';
import { composeDispatch, runAttempt, type AttemptFunction, type Dispatch, type DispatchResult } from './interceptors/dispatch-call.js';
import { withAttemptRecord } from './interceptors/with-attempt-record.js';
import { withCircuitBreaker } from './interceptors/with-circuit-breaker.js';
import { withDeadline } from './interceptors/with-deadline.js';
import { withFallback } from './interceptors/with-fallback.js';
import { withHedging } from './interceptors/with-hedging.js';
import { withIsolation } from './interceptors/with-isolation.js';
import { withKeySelection } from './interceptors/with-key-selection.js';
import { withRetry } from './interceptors/with-retry.js';
import { planRequest } from './plan-request.js';
import { concurrencyFor, ProviderLimiter } from './provider-limiter.js';
import type { ProviderRegistry } from './provider-registry.js';
import { RetryBudget } from './retry-budget.js';
import { retryPolicyFor, type RetryPolicy } from './retry-policy.js';
import type { RouterState } from './router-state.js';
import type { Target } from './target.js';

export type { AttemptFunction, DispatchResult } from './interceptors/dispatch-call.js';

/** Decides where a request goes and runs the attempts. */
export interface Router {
  /** The ordered targets for a request: the route's targets, then its fallbacks. */
  plan(model: string, context: RequestContext, operation: Operation): Target[];
  dispatch<T>(context: RequestContext, targets: readonly Target[], attempt: AttemptFunction<T>): Promise<DispatchResult<T>>;
  /** Circuits, in-flight counts, queues and the retry budget, as plain data. */
  state?(): RouterState;
  /** Stop background work (score refresh). */
  close?(): void;
}

export interface RouterOptions {
  /** The routing section of the config (defaults when absent). */
  routing?: RoutingConfig;
  /** Prices for the "cost" strategy. */
  catalog?: ModelCatalog;
  logger?: Logger;
  /** Random source (tests make it deterministic). */
  random?: () => number;
  /** Wall clock for circuits and the retry budget (tests move it). */
  now?: () => number;
}

/** How often latency scores are decayed, off the request path. */
const SCORE_REFRESH_MS = 1000;

/**
 * The router: plans targets from the routing table, and dispatches through small interceptors
 * composed around one attempt (DESIGN §6), outermost first:
 *   deadline → hedging → fallback → retry → key selection → circuit breaker → attempt record →
 *   isolation → the attempt itself.
 */
export function createRouter(registry: ProviderRegistry, options: RouterOptions = {}): Router {
  const routing = options.routing ?? routingSchema.parse({});
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const health = new HealthRegistry({
    latencyDecayMs: routing.latencyDecay,
    priceOf: (target) => blendedPrice(options.catalog, target),
    now,
    onKeyProblem: (provider, key, problem) =>
      options.logger?.warn({ provider, key, status: problem.status, code: problem.code }, `provider key "${key}" of "${provider}" was refused; marked unhealthy`),
  });
  const budget = new RetryBudget({ ratio: routing.retryBudget.ratio, minPerSecond: routing.retryBudget.minPerSecond, windowMs: routing.retryBudget.window }, now);
  const limiters = new Map<string, ProviderLimiter>();
  const limiterFor = (provider: Provider): ProviderLimiter => {
    let limiter = limiters.get(provider.id);
    if (limiter === undefined) {
      limiter = new ProviderLimiter(provider.id, concurrencyFor(provider.settings));
      limiters.set(provider.id, limiter);
    }
    return limiter;
  };
  const policies = new WeakMap<Provider, RetryPolicy>();
  const policyFor = (provider: Provider): RetryPolicy => {
    let policy = policies.get(provider);
    if (policy === undefined) policies.set(provider, (policy = retryPolicyFor(provider.settings)));
    return policy;
  };

  let table: RoutingTable | undefined;
  let tableVersion = -1;
  const routingTable = (): RoutingTable => {
    if (table === undefined || tableVersion !== registry.version) {
      const compiled = new RoutingTable(routing, registry);
      if (compiled.issues.length > 0) throw new ConfigError(compiled.issues);
      table = compiled;
      tableVersion = registry.version;
    }
    return table;
  };
  if (registry.size > 0) routingTable();

  const shared = { health, maxEjectedShare: routing.maxEjectedShare, random };
  const dispatch: Dispatch<unknown> = composeDispatch(
    [
      withDeadline({ defaultMs: routing.deadline }),
      withHedging({ defaultAfterMs: routing.hedging.enabled ? routing.hedging.after : undefined }),
      withFallback(),
      withRetry({ ...shared, budget, policyFor }),
      withKeySelection(shared),
      withCircuitBreaker({ health }),
      withAttemptRecord(),
      withIsolation({ limiterFor }),
    ],
    runAttempt,
  );

  const refresher = setInterval(() => health.refreshScores(), SCORE_REFRESH_MS);
  refresher.unref();

  return {
    plan(model, context) {
      return planRequest(model, context, routingTable(), registry);
    },
    dispatch<T>(context: RequestContext, targets: readonly Target[], attempt: AttemptFunction<T>): Promise<DispatchResult<T>> {
      const job = createRequestDispatch(context, targets, { keyPinning: routing.keyPinning });
      budget.recordRequest();
      return (dispatch as Dispatch<T>)({ job, run: attempt, signal: context.signal, groups: job.groups, reason: undefined });
    },
    state() {
      const providers = registry.list();
      const state: RouterState = {
        at: now(),
        providers: providers.map((provider) => {
          const limiter = limiterFor(provider);
          return {
            provider: provider.id,
            circuit: health.providerCircuit(provider),
            inFlight: limiter.inFlight,
            queued: limiter.queued,
            maxInFlight: limiter.settings.maxInFlight,
            queueLimit: limiter.settings.queue,
          };
        }),
        keys: providers.flatMap((provider) =>
          provider.settings.keys.map((key) => {
            const keyState = health.keyState(provider, key);
            return {
              provider: provider.id,
              key: key.name,
              circuit: keyState.circuit,
              inFlight: keyState.inFlight,
              ...(keyState.coolingUntil === undefined ? {} : { coolingUntil: keyState.coolingUntil }),
              ...(keyState.problem === undefined ? {} : { unhealthy: keyState.problem }),
            };
          }),
        ),
        models: health.modelStates().map(({ id, circuit, stats }) => {
          const slash = id.indexOf('/');
          return {
            provider: id.slice(0, slash),
            model: id.slice(slash + 1),
            circuit,
            inFlight: stats.inFlight,
            latencyMs: stats.latency.samples === 0 ? null : stats.latency.latencyMs,
            samples: stats.latency.samples,
            price: Number.isFinite(stats.price) ? stats.price : null,
          };
        }),
        retryBudget: budget.snapshot(),
        circuits: [],
        queues: [],
      };
      for (const entry of state.providers) {
        state.circuits.push({ provider: entry.provider, state: entry.circuit.state });
        state.queues.push({ provider: entry.provider, depth: entry.queued });
      }
      for (const entry of state.models) state.circuits.push({ provider: entry.provider, target: entry.model, state: entry.circuit.state });
      for (const entry of state.keys) state.circuits.push({ provider: entry.provider, target: `key:${entry.key}`, state: entry.circuit.state });
      return state;
    },
    close() {
      clearInterval(refresher);
    },
  };
}
