import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/router/health/circuit-breaker.js';
import { DEFAULT_CIRCUIT_SETTINGS, type CircuitSettings } from '../../../src/router/health/circuit-settings.js';

function breaker(settings: Partial<CircuitSettings> = {}) {
  const clock = { now: 1_000_000 };
  const circuit = new CircuitBreaker({ ...DEFAULT_CIRCUIT_SETTINGS, consecutiveFailures: 3, ejectForMs: 1000, maxEjectForMs: 8000, ...settings }, () => clock.now);
  const changes: boolean[] = [];
  circuit.onChange = (open) => changes.push(open);
  return { circuit, clock, changes };
}

describe('circuit breaker', () => {
  it('opens after consecutive failures, and a success in between resets the count', () => {
    const { circuit, changes } = breaker();
    circuit.failure(circuit.admit()!);
    circuit.failure(circuit.admit()!);
    circuit.success(circuit.admit()!);
    circuit.failure(circuit.admit()!);
    circuit.failure(circuit.admit()!);
    expect(circuit.available()).toBe(true);
    circuit.failure(circuit.admit()!);
    expect(circuit.available()).toBe(false);
    expect(circuit.admit()).toBeUndefined();
    expect(changes).toEqual([true]);
    expect(circuit.snapshot()).toMatchObject({ state: 'open', ejections: 1, consecutiveFailures: 3 });
  });

  it('opens on the failure rate over the window once enough requests were seen', () => {
    const { circuit } = breaker({ consecutiveFailures: 100, failureRate: 0.5, minRequests: 10 });
    for (let index = 0; index < 4; index++) {
      circuit.success(circuit.admit()!);
      circuit.failure(circuit.admit()!);
    }
    expect(circuit.available()).toBe(true);
    circuit.success(circuit.admit()!);
    circuit.failure(circuit.admit()!);
    expect(circuit.available()).toBe(false);
  });

  it('forgets failures older than the window', () => {
    const { circuit, clock } = breaker({ consecutiveFailures: 100, failureRate: 0.5, minRequests: 4, windowMs: 1000 });
    circuit.failure(circuit.admit()!);
    circuit.failure(circuit.admit()!);
    circuit.failure(circuit.admit()!);
    clock.now += 5000;
    circuit.success(circuit.admit()!);
    expect(circuit.snapshot().windowRequests).toBe(1);
    circuit.failure(circuit.admit()!);
    expect(circuit.available()).toBe(true);
  });

  it('half-opens after the interval: one probe at a time; a successful probe closes it', () => {
    const { circuit, clock, changes } = breaker();
    for (let index = 0; index < 3; index++) circuit.failure(circuit.admit()!);
    clock.now += 999;
    expect(circuit.available()).toBe(false);
    clock.now += 1;
    expect(circuit.available()).toBe(true);
    const probe = circuit.admit();
    expect(probe).toBe('probe');
    expect(circuit.admit()).toBeUndefined();
    circuit.success(probe!);
    expect(circuit.snapshot().state).toBe('closed');
    expect(changes).toEqual([true, false]);
  });

  it('a failed probe ejects again for twice as long, up to the maximum', () => {
    const { circuit, clock } = breaker();
    for (let index = 0; index < 3; index++) circuit.failure(circuit.admit()!);
    const lengths: number[] = [];
    for (let round = 0; round < 5; round++) {
      const until = circuit.snapshot().openUntil!;
      lengths.push(until - clock.now);
      clock.now = until;
      circuit.failure(circuit.admit()!);
    }
    expect(lengths).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('starts again from the base interval after staying healthy for maxEjectFor', () => {
    const { circuit, clock } = breaker();
    for (let index = 0; index < 3; index++) circuit.failure(circuit.admit()!);
    clock.now = circuit.snapshot().openUntil!;
    circuit.failure(circuit.admit()!);
    clock.now = circuit.snapshot().openUntil!;
    circuit.success(circuit.admit()!);
    clock.now += 9000;
    for (let index = 0; index < 3; index++) circuit.failure(circuit.admit()!);
    expect(circuit.snapshot().openUntil! - clock.now).toBe(1000);
  });

  it('a released probe (cancelled, client error) frees the slot without a verdict', () => {
    const { circuit, clock } = breaker();
    for (let index = 0; index < 3; index++) circuit.failure(circuit.admit()!);
    clock.now += 1000;
    const probe = circuit.admit()!;
    circuit.release(probe);
    expect(circuit.snapshot().state).toBe('half-open');
    expect(circuit.admit()).toBe('probe');
  });

  it('a forced attempt through an open circuit that succeeds closes it', () => {
    const { circuit } = breaker();
    for (let index = 0; index < 3; index++) circuit.failure(circuit.admit()!);
    const forced = circuit.admitForced();
    expect(forced).toBe('forced');
    circuit.success(forced);
    expect(circuit.snapshot().state).toBe('closed');
  });

  it('does nothing when disabled', () => {
    const { circuit } = breaker({ enabled: false });
    for (let index = 0; index < 50; index++) circuit.failure(circuit.admit()!);
    expect(circuit.available()).toBe(true);
  });
});
