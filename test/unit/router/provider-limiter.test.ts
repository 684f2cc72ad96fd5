import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/index.js';
import { ProviderLimiter } from '../../../src/router/provider-limiter.js';

describe('provider limiter (isolation)', () => {
  it('admits up to maxInFlight at once, queues in order up to the bound, refuses beyond it', async () => {
    const limiter = new ProviderLimiter('p', { maxInFlight: 2, queue: 2, queueTimeoutMs: 60_000 });
    const signal = new AbortController().signal;
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(true);
    const order: number[] = [];
    const first = limiter.acquire(signal, 60_000).then(() => order.push(1));
    const second = limiter.acquire(signal, 60_000).then(() => order.push(2));
    expect(limiter.queued).toBe(2);
    const refused = await limiter.acquire(signal, 60_000).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ code: 'queue_full', status: 429, retryAfterMs: 1000, retryable: true });
    limiter.release();
    limiter.release();
    await Promise.all([first, second]);
    expect(order).toEqual([1, 2]);
    expect(limiter.inFlight).toBe(2);
    limiter.release();
    limiter.release();
    expect(limiter.inFlight).toBe(0);
  });

  it('a waiter gives up after the queue timeout and its place is freed', async () => {
    const limiter = new ProviderLimiter('p', { maxInFlight: 1, queue: 1, queueTimeoutMs: 30 });
    limiter.tryAcquire();
    const error = await limiter.acquire(new AbortController().signal, 60_000).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'queue_full' });
    expect(limiter.queued).toBe(0);
    limiter.release();
    expect(limiter.inFlight).toBe(0);
  });

  it('an aborted waiter leaves the queue and does not take a slot', async () => {
    const limiter = new ProviderLimiter('p', { maxInFlight: 1, queue: 4, queueTimeoutMs: 60_000 });
    limiter.tryAcquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal, 60_000).catch((thrown: unknown) => thrown);
    const next = limiter.acquire(new AbortController().signal, 60_000);
    controller.abort(new Error('client gone'));
    expect(await waiting).toMatchObject({ message: 'client gone' });
    expect(limiter.queued).toBe(1);
    limiter.release();
    await next;
    expect(limiter.inFlight).toBe(1);
  });

  it('memory stays bounded: thousands of refused attempts leave nothing behind', async () => {
    const limiter = new ProviderLimiter('p', { maxInFlight: 1, queue: 3, queueTimeoutMs: 60_000 });
    limiter.tryAcquire();
    const signal = new AbortController().signal;
    const waiting = Array.from({ length: 3 }, () => limiter.acquire(signal, 60_000));
    const refused = await Promise.all(Array.from({ length: 5000 }, () => limiter.acquire(signal, 60_000).then(() => 'granted', () => 'refused')));
    expect(new Set(refused)).toEqual(new Set(['refused']));
    expect(limiter.queued).toBe(3);
    for (let index = 0; index < 4; index++) limiter.release();
    await Promise.all(waiting);
  });

  it('abandoned waiters do not pile up while the slots stay stuck (aborts and timeouts)', async () => {
    const limiter = new ProviderLimiter('p', { maxInFlight: 1, queue: 64, queueTimeoutMs: 60_000 });
    limiter.tryAcquire();
    // Two patient waiters stay queued throughout; everything else is abandoned, and no slot is
    // ever released, so nothing but the limiter itself can clear the abandoned entries.
    const order: number[] = [];
    const firstWaiter = limiter.acquire(new AbortController().signal, 60_000).then(() => order.push(1));
    let most = 0;
    for (let index = 0; index < 10_000; index++) {
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal, 60_000).catch((thrown: unknown) => thrown);
      controller.abort(new Error('client gone'));
      expect(await waiting).toMatchObject({ message: 'client gone' });
      most = Math.max(most, limiter.retained);
    }
    const secondWaiter = limiter.acquire(new AbortController().signal, 60_000).then(() => order.push(2));
    // Timeouts: batches of waiters whose wait (here the request's deadline) runs out, 62 at a
    // time (what the queue bound leaves).
    for (let batch = 0; batch < 5; batch++) {
      const timedOut = await Promise.all(Array.from({ length: 62 }, () => limiter.acquire(new AbortController().signal, 1).catch((thrown: unknown) => thrown)));
      for (const error of timedOut) expect(error).toMatchObject({ code: 'queue_full' });
      most = Math.max(most, limiter.retained);
    }
    // 10,310 waiters were abandoned; the queue never held more than its live entries and a
    // small constant of abandoned ones, and the depth counts only the live ones.
    expect(limiter.queued).toBe(2);
    expect(most).toBeLessThanOrEqual(2 * 64 + 32);
    expect(limiter.retained).toBeLessThanOrEqual(2 + 32 + 1);
    // The live waiters kept their order and still get the slots.
    limiter.release();
    limiter.release();
    await Promise.all([firstWaiter, secondWaiter]);
    expect(order).toEqual([1, 2]);
    expect(limiter.queued).toBe(0);
    expect(limiter.inFlight).toBe(1);
    // The last release passes whatever abandoned entries are left and frees the slot.
    limiter.release();
    expect(limiter.retained).toBe(0);
    expect(limiter.inFlight).toBe(0);
  });
});
