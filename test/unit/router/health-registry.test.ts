import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/index.js';
import type { Target } from '../../../src/router/target.js';
import { fakeProvider, registry, target } from './router-fixtures.js';

const serverError = () => new GatewayError({ code: 'upstream_error', status: 500, retryable: true, message: 'boom' });

/** One attempt through the registry, as the circuit-breaker interceptor records it. */
function attempt(health: ReturnType<typeof registry>, on: Target, ok: boolean): void {
  const admissions = health.admit(on, undefined, true)!;
  health.finished(on, undefined);
  if (ok) health.success(on, undefined, admissions, 5);
  else health.failure(on, undefined, admissions, serverError(), 5);
}

function setup() {
  const clock = { now: 1_000_000 };
  const health = registry({ now: () => clock.now });
  const provider = fakeProvider('p', { circuitBreaker: { consecutiveFailures: 3, failureRate: 0.5, minRequests: 10, window: 10_000 } });
  return { clock, health, provider, bad: target(provider, 'bad'), good: target(provider, 'good') };
}

describe('health registry: model and provider ejection', () => {
  it('one failing model is ejected on its own while another model of the provider serves', () => {
    const { health, provider, bad, good } = setup();
    attempt(health, good, true);
    // Failures in a row on the bad model, nothing else in between (the old code ejected the
    // provider here), then half the traffic failing (the provider's failure rate).
    for (let index = 0; index < 5; index++) attempt(health, bad, false);
    expect(health.targetAvailable(bad)).toBe(false);
    expect(health.targetAvailable(good)).toBe(true);
    expect(health.providerCircuit(provider).state).toBe('closed');
    for (let index = 0; index < 20; index++) {
      attempt(health, good, true);
      attempt(health, bad, false);
    }
    expect(health.targetAvailable(bad)).toBe(false);
    expect(health.targetAvailable(good)).toBe(true);
    expect(health.providerCircuit(provider)).toMatchObject({ state: 'closed', windowFailures: 0 });
    expect(health.modelStates().find((entry) => entry.id === 'p/bad')!.circuit).toMatchObject({ state: 'open' });
  });

  it('failures spread over the models (no model serving) eject the provider, unseen models included', () => {
    const { health, provider, bad, good } = setup();
    attempt(health, good, true);
    attempt(health, bad, false);
    // The good model fails too: now nothing of the provider serves, and every failure counts.
    attempt(health, good, false);
    attempt(health, bad, false);
    attempt(health, good, false);
    expect(health.providerCircuit(provider).state).toBe('open');
    expect(health.targetAvailable(target(provider, 'never-used'))).toBe(false);
  });

  it('a provider with one model in use is ejected with it, as before', () => {
    const { health, provider, bad } = setup();
    for (let index = 0; index < 3; index++) attempt(health, bad, false);
    expect(health.providerCircuit(provider).state).toBe('open');
  });

  it('a success older than the breaker window does not vouch for the provider', () => {
    const { clock, health, provider, bad, good } = setup();
    attempt(health, good, true);
    clock.now += 10_001;
    for (let index = 0; index < 3; index++) attempt(health, bad, false);
    expect(health.providerCircuit(provider).state).toBe('open');
  });
});
