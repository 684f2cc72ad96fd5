import { Pool } from 'undici';
import type { RouterState } from '../../src/router/router-state.js';
import { FaultUpstream } from './fault-upstream.js';
import { startTestGateway } from './in-process-gateway.js';

/**
 * The outage scenario behind the routing load test and bench/routing-outage.ts: two providers
 * behind one alias on loopback, closed-loop clients sending requests without pause; provider
 * "a" answers 500 to everything for a while, then heals. Everything is counted, nothing is timed
 * in assertions.
 */
export interface OutageOptions {
  /** Concurrent clients, each sending its next request as soon as the last one is answered. */
  concurrency: number;
  /** Client requests in each phase: before the outage, during it, and after "a" heals. */
  healthyRequests: number;
  outageRequests: number;
  /** After healing, requests go on until "a" is readmitted and served this many, or the cap. */
  recoveredRequests: number;
  recoveryCap: number;
  retryBudgetRatio: number;
  /** Upstream answer delay, so requests overlap as in real traffic. */
  upstreamDelayMs: number;
  consecutiveFailures: number;
  ejectForMs: number;
  maxEjectForMs: number;
  stream?: boolean;
}

export interface OutageFigures {
  requests: { healthy: number; outage: number; recovery: number; total: number };
  clientErrors: number;
  /** Upstream attempts (both providers, every phase). */
  upstreamAttempts: number;
  /** requests × (1 + budget ratio): the ceiling upstream attempts must stay under. */
  attemptCeiling: number;
  /** Attempts beyond one per request (retries, fallbacks). */
  retries: number;
  /** Failed requests "a" received during the outage, and the part before its first ejection. */
  failuresAtA: number;
  failuresBeforeEjection: number;
  /** Client requests from the outage start until "a" was first ejected. */
  requestsUntilEjected: number;
  /** How many times "a" was ejected (each later ejection follows a failed half-open probe). */
  ejections: number;
  /** Client requests from the heal until "a" was readmitted (circuit closed and serving). */
  requestsUntilReadmitted: number | undefined;
  /** Requests "a" served after it was readmitted. */
  servedByAAfterReadmission: number;
  /** Milliseconds from the outage start to the first ejection, and from the heal to readmission (bench figures only). */
  msUntilEjected: number | undefined;
  msUntilReadmitted: number | undefined;
  durationMs: number;
  requestsPerSecond: number;
}

function circuitOf(state: RouterState, provider: string): RouterState['providers'][number]['circuit'] {
  return state.providers.find((entry) => entry.provider === provider)!.circuit;
}

export async function runOutageScenario(options: OutageOptions): Promise<OutageFigures> {
  const a = await new FaultUpstream().start();
  const b = await new FaultUpstream().start();
  const breaker = { consecutiveFailures: options.consecutiveFailures, ejectFor: options.ejectForMs, maxEjectFor: options.maxEjectForMs };
  const retry = { attempts: 2, initialDelay: 10, maxDelay: 100 };
  const gateway = await startTestGateway({
    logging: { requests: false },
    providers: {
      a: { type: 'openai-compatible', baseUrl: a.url, keys: [{ value: 'sk-a' }], circuitBreaker: breaker, retry },
      b: { type: 'openai-compatible', baseUrl: b.url, keys: [{ value: 'sk-b' }], circuitBreaker: breaker, retry },
    },
    routing: {
      aliases: { smart: { targets: ['a/gpt-4o-mini', 'b/gpt-4o-mini'] } },
      // The floor of retries per second is kept small so the ratio is what holds.
      retryBudget: { ratio: options.retryBudgetRatio, minPerSecond: 0.5, window: '10s' },
    },
  });
  const router = gateway.gateway.runtime.router;
  const ok = { type: 'ok' as const, delayMs: options.upstreamDelayMs };
  a.always(ok);
  b.always(ok);
  const pool = new Pool(gateway.url, { connections: options.concurrency, pipelining: 1 });
  const body = JSON.stringify({ model: 'smart', stream: options.stream === true, messages: [{ role: 'user', content: 'hi' }] });

  let phase: 'healthy' | 'outage' | 'recovery' = 'healthy';
  const counts = { healthy: 0, outage: 0, recovery: 0 };
  let clientErrors = 0;
  let requestsUntilEjected = -1;
  let failuresBeforeEjection = -1;
  let requestsUntilReadmitted: number | undefined;
  /** Attempts "a" received in finished phases (its request log is cleared at each phase change). */
  let attemptsAtA = 0;
  let failuresAtA = 0;
  let servedByAAtReadmission = 0;
  let phaseStarted = 0;
  let msUntilEjected: number | undefined;
  let msUntilReadmitted: number | undefined;
  const servedByA = (): number => a.count('ok');
  const limit = (): number => (phase === 'healthy' ? options.healthyRequests : phase === 'outage' ? options.outageRequests : options.recoveryCap);

  const advance = (): void => {
    if (phase === 'outage' && requestsUntilEjected < 0 && circuitOf(router.state!(), 'a').ejections > 0) {
      requestsUntilEjected = counts.outage;
      failuresBeforeEjection = a.count('status');
      msUntilEjected = performance.now() - phaseStarted;
    }
    if (phase === 'recovery' && requestsUntilReadmitted === undefined && servedByA() > 0 && circuitOf(router.state!(), 'a').state === 'closed') {
      requestsUntilReadmitted = counts.recovery;
      servedByAAtReadmission = servedByA();
      msUntilReadmitted = performance.now() - phaseStarted;
    }
    if (counts[phase] < limit()) return;
    if (phase === 'healthy') {
      phase = 'outage';
      phaseStarted = performance.now();
      attemptsAtA += a.count();
      a.requests.length = 0;
      a.always({ type: 'status', status: 500 });
    } else if (phase === 'outage') {
      phase = 'recovery';
      phaseStarted = performance.now();
      failuresAtA = a.count('status');
      attemptsAtA += a.count();
      a.requests.length = 0;
      a.always(ok);
    }
  };

  const done = (): boolean =>
    phase === 'recovery' &&
    (counts.recovery >= options.recoveryCap ||
      (requestsUntilReadmitted !== undefined && servedByA() - servedByAAtReadmission >= options.recoveredRequests));

  const started = performance.now();
  const client = async (): Promise<void> => {
    while (!done()) {
      counts[phase]++;
      const response = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body });
      const text = await response.body.text();
      const failed = response.statusCode !== 200 || (options.stream === true && (!text.includes('[DONE]') || text.includes('"error"')));
      if (failed) clientErrors++;
      advance();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const durationMs = performance.now() - started;
  const servedByAAfterReadmission = servedByA() - servedByAAtReadmission;
  attemptsAtA += a.count();
  const ejections = circuitOf(router.state!(), 'a').ejections;
  const upstreamAttempts = attemptsAtA + b.count();
  const total = counts.healthy + counts.outage + counts.recovery;
  await pool.close();
  await gateway.close();
  await a.stop();
  await b.stop();
  return {
    requests: { ...counts, total },
    clientErrors,
    upstreamAttempts,
    attemptCeiling: Math.floor(total * (1 + options.retryBudgetRatio)),
    retries: upstreamAttempts - total,
    failuresAtA,
    failuresBeforeEjection,
    requestsUntilEjected,
    ejections,
    requestsUntilReadmitted,
    servedByAAfterReadmission,
    msUntilEjected,
    msUntilReadmitted,
    durationMs,
    requestsPerSecond: (total / durationMs) * 1000,
  };
}
