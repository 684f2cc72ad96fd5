import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/index.js';
import type { Provider } from '../../../src/providers/provider.js';
import { pendingCoarseTimers } from '../../../src/router/coarse-timers.js';
import { ProviderRegistry } from '../../../src/router/provider-registry.js';
import { createRouter } from '../../../src/router/router.js';
import type { AttemptFunction } from '../../../src/router/router.js';
import { routingSchema } from '../../../src/config/schema.js';
import { fakeContext } from './fake-context.js';
import { fakeProvider, key, seededRandom } from './router-fixtures.js';

function routerFor(providers: Provider[], routing: Record<string, unknown> = {}) {
  const registry = new ProviderRegistry(providers);
  return createRouter(registry, { routing: routingSchema.parse(routing), random: seededRandom(1) });
}

const serverError = (provider: string) =>
  new GatewayError({ code: 'upstream_error', status: 500, retryable: true, message: 'boom', upstream: { provider, status: 500 } });

describe('dispatch', () => {
  it('holds a stream attempt in flight until the response ends, then releases it', async () => {
    const provider = fakeProvider('p', { concurrency: { maxInFlight: 4 } });
    const router = routerFor([provider]);
    const context = fakeContext({}, { stream: true });
    const targets = [{ provider, model: 'm', reason: 'requested' }];
    await router.dispatch(context, targets, async () => 'stream');
    const during = router.state!();
    expect(during.providers[0]).toMatchObject({ provider: 'p', inFlight: 1 });
    expect(during.models[0]).toMatchObject({ provider: 'p', model: 'm', inFlight: 1, samples: 1 });
    context.fakeResponse.finish();
    const after = router.state!();
    expect(after.providers[0]!.inFlight).toBe(0);
    expect(after.models[0]!.inFlight).toBe(0);
    router.close!();
  });

  it('a complete (non-stream) answer releases its slot at once', async () => {
    const provider = fakeProvider('p');
    const router = routerFor([provider]);
    await router.dispatch(fakeContext(), [{ provider, model: 'm', reason: 'requested' }], async () => 'ok');
    expect(router.state!().providers[0]!.inFlight).toBe(0);
    router.close!();
  });

  it('hedging aborts the losing attempt through its signal', async () => {
    const slow = fakeProvider('slow');
    const fast = fakeProvider('fast');
    const router = routerFor([slow, fast], { hedging: { enabled: true, after: 30 } });
    const signals = new Map<string, AbortSignal>();
    const attempt: AttemptFunction<string> = (target, _key, _entry, signal) => {
      signals.set(target.provider.id, signal);
      if (target.provider.id === 'fast') return Promise.resolve('fast');
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    const context = fakeContext();
    const { result } = await router.dispatch(
      context,
      [
        { provider: slow, model: 'm', reason: 'requested' },
        { provider: fast, model: 'm', reason: 'fallback' },
      ],
      attempt,
    );
    expect(result).toBe('fast');
    expect(signals.get('slow')!.aborted).toBe(true);
    expect(signals.get('fast')!.aborted).toBe(false);
    expect(context.record.attempts.map((entry) => [entry.provider, entry.outcome, entry.reason])).toEqual([
      ['slow', 'aborted', undefined],
      ['fast', 'success', 'hedge'],
    ]);
    router.close!();
  });

  it('the deadline aborts the running attempt and nothing starts after it', async () => {
    const provider = fakeProvider('p');
    const router = routerFor([provider], { deadline: 40 });
    let calls = 0;
    const attempt: AttemptFunction<string> = (_target, _key, _entry, signal) => {
      calls++;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    const error = await router.dispatch(fakeContext(), [{ provider, model: 'm', reason: 'requested' }], attempt).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'upstream_timeout', status: 504 });
    expect(calls).toBe(1);
    router.close!();
  });

  it('rotates keys on 429 without waiting, and skips a 401 key without counting it as a retry', async () => {
    const provider = fakeProvider('p', { keys: [key('k1'), key('k2'), key('k3')], retry: { attempts: 1 } });
    const router = routerFor([provider]);
    const used: string[] = [];
    const attempt: AttemptFunction<string> = async (_target, chosen) => {
      used.push(chosen!.name);
      if (used.length === 1) throw new GatewayError({ code: 'upstream_authentication', status: 401, message: 'no', upstream: { provider: 'p', status: 401 } });
      if (used.length === 2) throw new GatewayError({ code: 'upstream_rate_limited', status: 429, retryable: true, message: 'slow down', upstream: { provider: 'p', status: 429 } });
      return 'ok';
    };
    const context = fakeContext();
    await router.dispatch(context, [{ provider, model: 'm', reason: 'requested' }], attempt);
    expect(new Set(used).size).toBe(3);
    expect(context.record.attempts.map((entry) => entry.reason)).toEqual([undefined, 'retry after 401 (key skipped)', 'retry after 429 (key rotated)']);
    const state = router.state!();
    const refused = state.keys.find((entry) => entry.key === used[0])!;
    expect(refused.unhealthy).toMatchObject({ status: 401 });
    expect(refused.circuit.state).toBe('open');
    router.close!();
  });

  it('every attempt after the first spends the retry budget', async () => {
    const a = fakeProvider('a', { circuitBreaker: { enabled: false } });
    const b = fakeProvider('b', { circuitBreaker: { enabled: false } });
    const router = routerFor([a, b], { retryBudget: { ratio: 0.5, minPerSecond: 0 } });
    const attempt: AttemptFunction<string> = async (target) => {
      if (target.provider.id === 'a') throw serverError('a');
      return 'ok';
    };
    const targets = [
      { provider: a, model: 'm', reason: 'requested' },
      { provider: b, model: 'm', reason: 'fallback' },
    ];
    let ok = 0;
    let failed = 0;
    for (let index = 0; index < 100; index++) {
      await router.dispatch(fakeContext({ 'x-switchyard-retries': '0' }), targets, attempt).then(
        () => ok++,
        () => failed++,
      );
    }
    // Each request needs one retry (the fallback); the budget pays for half of the requests.
    expect(ok).toBe(50);
    expect(failed).toBe(50);
    expect(router.state!().retryBudget).toMatchObject({ requests: 100, retries: 50 });
    router.close!();
  });

  it('leaves no coarse timers behind', () => {
    expect(pendingCoarseTimers()).toBe(0);
  });
});
