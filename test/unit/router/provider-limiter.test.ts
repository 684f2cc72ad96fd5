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
});
