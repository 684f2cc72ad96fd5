import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RouterState } from '../../../src/router/router-state.js';
import type { TestGateway } from '../../helpers/in-process-gateway.js';
import { FaultUpstream } from '../../helpers/fault-upstream.js';
import { ADMIN_KEY, attemptLog, chat, compatibleProvider, routerState, startRoutingGateway } from '../../helpers/routing-gateway.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('circuit breaking', () => {
  let a: FaultUpstream;
  let b: FaultUpstream;
  let gateway: TestGateway;
  const breaker = { consecutiveFailures: 3, ejectFor: 200, maxEjectFor: 1000 };

  beforeAll(async () => {
    a = await new FaultUpstream().start();
    b = await new FaultUpstream().start();
    gateway = await startRoutingGateway({
      providers: {
        a: compatibleProvider(a.url, { circuitBreaker: breaker, retry: { attempts: 1, initialDelay: 1, maxDelay: 2 } }),
        b: compatibleProvider(b.url, { circuitBreaker: breaker, retry: { attempts: 1, initialDelay: 1, maxDelay: 2 } }),
      },
      routing: {
        aliases: { pair: ['a/m', 'b/m'] },
        retryBudget: { ratio: 1, minPerSecond: 1000 },
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await a.stop();
    await b.stop();
  });
  beforeEach(() => {
    a.reset();
    b.reset();
  });

  async function waitForClosed(provider: string): Promise<void> {
    await expect
      .poll(async () => {
        await chat(gateway.url, { model: 'pair' });
        const state = await routerState(gateway.url);
        return state.providers.find((entry) => entry.provider === provider)!.circuit.state;
      }, { timeout: 10_000, interval: 50 })
      .toBe('closed');
  }

  it('ejects a failing provider, shows it in the state, probes it and readmits it once it heals', async () => {
    a.always({ type: 'status', status: 500 });
    for (let index = 0; index < 30; index++) expect((await chat(gateway.url, { model: 'pair' })).status).toBe(200);
    // Ejected after 3 consecutive failures; later requests only reach it as half-open probes.
    const state = await routerState(gateway.url);
    const circuit = state.providers.find((entry) => entry.provider === 'a')!.circuit;
    expect(circuit.ejections).toBeGreaterThanOrEqual(1);
    expect(a.count()).toBeLessThan(3 + 1 + circuit.ejections);
    expect(state.models.find((entry) => entry.provider === 'a')!.circuit.consecutiveFailures).toBeGreaterThanOrEqual(3);
    // Heal: a probe succeeds after the ejection interval and traffic comes back.
    a.always({ type: 'ok' });
    await waitForClosed('a');
    a.reset();
    for (let index = 0; index < 20; index++) await chat(gateway.url, { model: 'pair' });
    expect(a.count()).toBeGreaterThan(0);
  });

  it('an ejected target with a fallback is skipped without an upstream call and logged as ejected', async () => {
    a.always({ type: 'status', status: 503 });
    for (let index = 0; index < 3; index++) await chat(gateway.url, { model: 'a/m', fallbacks: ['b/m'], stream: false });
    const before = a.count();
    const result = await chat(gateway.url, { model: 'a/m', fallbacks: ['b/m'] });
    expect(result.status).toBe(200);
    expect(a.count()).toBe(before);
    const log = attemptLog(result.headers);
    expect(log[0]).toMatchObject({ target: 'a/m', status: 'circuit_open', reason: 'ejected' });
    expect(log[1]).toMatchObject({ target: 'b/m', status: '200', reason: 'fallback' });
    a.always({ type: 'ok' });
    await waitForClosed('a');
  });

  it('never routes around more than half of the targets: with both failing, requests still reach one', async () => {
    a.always({ type: 'status', status: 500 });
    b.always({ type: 'status', status: 500 });
    for (let index = 0; index < 12; index++) {
      const result = await chat(gateway.url, { model: 'pair' });
      expect(result.status).toBe(500);
      expect(attemptLog(result.headers).some((entry) => entry.status === '500')).toBe(true);
    }
    a.always({ type: 'ok' });
    b.always({ type: 'ok' });
    await waitForClosed('a');
    await waitForClosed('b');
  });

  it('the state route needs the admin key', async () => {
    const response = await fetch(`${gateway.url}/api/router/state`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('authentication_failed');
    const ok = await fetch(`${gateway.url}/api/router/state`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    // The gateway's own headers, as on every other response.
    expect(ok.headers.get('x-request-id')).toBeTruthy();
    expect(ok.headers.get('x-switchyard-processing-ms')).toMatch(/^\d+\.\d{3}$/);
    const state = (await ok.json()) as RouterState;
    expect(Object.keys(state).sort()).toEqual(['at', 'circuits', 'keys', 'models', 'providers', 'queues', 'retryBudget']);
    // The flattened views the metrics exporter reads.
    expect(state.circuits).toEqual(expect.arrayContaining([{ provider: 'a', state: expect.any(String) }, { provider: 'a', target: 'key:main', state: expect.any(String) }]));
    expect(state.queues).toEqual(expect.arrayContaining([{ provider: 'a', depth: 0 }]));
  });
});

describe('model-level ejection', () => {
  let a: FaultUpstream;
  let b: FaultUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    a = await new FaultUpstream().start();
    b = await new FaultUpstream().start();
    // Long ejections, so the state can be read before anything is readmitted.
    const breaker = { consecutiveFailures: 3, ejectFor: 30_000 };
    gateway = await startRoutingGateway({
      providers: {
        a: compatibleProvider(a.url, { circuitBreaker: breaker, retry: { attempts: 0 } }),
        b: compatibleProvider(b.url),
      },
      routing: { retryBudget: { ratio: 1, minPerSecond: 1000 } },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await a.stop();
    await b.stop();
  });

  const modelOf = (request: { json: Record<string, unknown> | undefined }) => request.json?.model;
  const circuitOf = (state: RouterState, model: string) => state.models.find((entry) => entry.provider === 'a' && entry.model === model)?.circuit.state;

  it('one failing model is ejected while another model of the same provider keeps serving', async () => {
    a.always((request) => (modelOf(request) === 'bad' ? { type: 'status', status: 500 } : { type: 'ok' }));
    expect((await chat(gateway.url, { model: 'a/good' })).status).toBe(200);
    for (let index = 0; index < 6; index++) {
      const result = await chat(gateway.url, { model: 'a/bad', fallbacks: ['b/bad'] });
      expect(result.status).toBe(200);
      expect(result.headers.get('x-switchyard-provider')).toBe('b');
    }
    // Three failures ejected a/bad; later requests skipped it without an upstream call.
    expect(a.requests.filter((request) => modelOf(request) === 'bad')).toHaveLength(3);
    for (let index = 0; index < 6; index++) {
      const result = await chat(gateway.url, { model: 'a/good', fallbacks: ['b/good'] });
      expect(result.status).toBe(200);
      expect(result.headers.get('x-switchyard-provider')).toBe('a');
      expect(attemptLog(result.headers).map((entry) => entry.status)).not.toContain('circuit_open');
    }
    expect(b.requests.filter((request) => modelOf(request) === 'good')).toHaveLength(0);
    const state = await routerState(gateway.url);
    expect(circuitOf(state, 'bad')).toBe('open');
    expect(circuitOf(state, 'good')).toBe('closed');
    expect(state.providers.find((entry) => entry.provider === 'a')!.circuit.state).toBe('closed');
  });

  it('failures across its models eject the provider: even a model it never served is routed around', async () => {
    a.always({ type: 'status', status: 500 });
    for (let index = 0; index < 3; index++) {
      expect((await chat(gateway.url, { model: 'a/good', fallbacks: ['b/good'] })).status).toBe(200);
    }
    const state = await routerState(gateway.url);
    expect(state.providers.find((entry) => entry.provider === 'a')!.circuit.state).toBe('open');
    const before = a.count();
    const result = await chat(gateway.url, { model: 'a/other', fallbacks: ['b/other'] });
    expect(result.status).toBe(200);
    expect(a.count()).toBe(before);
    expect(attemptLog(result.headers)[0]).toMatchObject({ target: 'a/other', status: 'circuit_open', reason: 'ejected' });
  });
});

describe('isolation', () => {
  let slow: FaultUpstream;
  let other: FaultUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    slow = await new FaultUpstream().start();
    other = await new FaultUpstream().start();
    gateway = await startRoutingGateway({
      providers: {
        slow: compatibleProvider(slow.url, { concurrency: { maxInFlight: 1, queue: 1 }, retry: { attempts: 0 } }),
        patient: compatibleProvider(slow.url, { concurrency: { maxInFlight: 1, queue: 5, queueTimeout: 100 }, retry: { attempts: 0 } }),
        other: compatibleProvider(other.url),
      },
      routing: { aliases: { spill: { targets: [{ model: 'slow/m', weight: 1 }, { model: 'other/m', weight: 0 }] } } },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await slow.stop();
    await other.stop();
  });
  beforeEach(() => {
    slow.reset();
    other.reset();
  });

  it('beyond in-flight + queue, requests get a fast 429 with retry-after instead of piling up', async () => {
    slow.always({ type: 'ok', delayMs: 1500 });
    const pending = [chat(gateway.url, { model: 'slow/m' }), chat(gateway.url, { model: 'slow/m' })];
    await expect
      .poll(async () => (await routerState(gateway.url)).providers.find((entry) => entry.provider === 'slow'), { interval: 20 })
      .toMatchObject({ inFlight: 1, queued: 1 });
    const refused = await chat(gateway.url, { model: 'slow/m' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((refused.body.error as { code: string }).code).toBe('queue_full');
    expect(attemptLog(refused.headers)[0]!.status).toBe('queue_full');
    expect((await Promise.all(pending)).map((result) => result.status)).toEqual([200, 200]);
    expect(slow.count()).toBe(2);
  });

  it('a queued request gives up after the queue timeout', async () => {
    slow.always({ type: 'ok', delayMs: 1500 });
    const first = chat(gateway.url, { model: 'patient/m' });
    await expect.poll(() => slow.count(), { interval: 10 }).toBe(1);
    const second = await chat(gateway.url, { model: 'patient/m' });
    expect(second.status).toBe(429);
    expect((second.body.error as { message: string }).message).toContain('no slot freed');
    expect((await first).status).toBe(200);
  });

  it('when a provider is full, the overflow goes to another target of the route', async () => {
    slow.always({ type: 'ok', delayMs: 1500 });
    const results = await Promise.all(Array.from({ length: 4 }, () => chat(gateway.url, { model: 'spill' })));
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);
    expect(slow.count()).toBe(2);
    expect(other.count()).toBe(2);
  });
});

describe('hedging, deadlines and the retry budget', () => {
  let a: FaultUpstream;
  let b: FaultUpstream;
  let gateway: TestGateway;
  let stingy: TestGateway;

  beforeAll(async () => {
    a = await new FaultUpstream().start();
    b = await new FaultUpstream().start();
    const providers = {
      a: compatibleProvider(a.url, { circuitBreaker: { enabled: false } }),
      b: compatibleProvider(b.url, { circuitBreaker: { enabled: false } }),
    };
    gateway = await startRoutingGateway({
      providers,
      routing: {
        aliases: {
          hedged: { targets: [{ model: 'a/m', weight: 1 }, { model: 'b/m', weight: 0 }], hedging: { after: 100 } },
          unhedged: { targets: [{ model: 'a/m', weight: 1 }, { model: 'b/m', weight: 0 }] },
          short: { targets: ['a/m'], deadline: 200 },
        },
      },
    });
    stingy = await startRoutingGateway({ providers, routing: { retryBudget: { ratio: 0, minPerSecond: 0 } } });
  });
  afterAll(async () => {
    await gateway.close();
    await stingy.close();
    await a.stop();
    await b.stop();
  });
  beforeEach(() => {
    a.reset();
    b.reset();
  });

  it('hedging races a second target after the threshold; the first answer wins and the loser is cancelled', async () => {
    a.always({ type: 'slow-first-byte', delayMs: 3000 });
    const result = await chat(gateway.url, { model: 'hedged' });
    expect(result.status).toBe(200);
    expect(result.headers.get('x-switchyard-provider')).toBe('b');
    const log = attemptLog(result.headers);
    expect(log.map((entry) => [entry.target, entry.reason])).toEqual([
      ['a/m', 'route hedged'],
      ['b/m', 'hedge'],
    ]);
    expect(log[0]!.status).toBe('cancelled');
    await expect.poll(() => a.requests[0]?.aborted).toBe(true);
  });

  it('hedging works for streams: the first to produce content wins', async () => {
    a.always({ type: 'slow-first-token', delayMs: 3000 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'hedged', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    expect(text).toContain('[DONE]');
    expect(response.headers.get('x-switchyard-provider')).toBe('b');
    await expect.poll(() => a.requests[0]?.aborted).toBe(true);
  });

  it('without hedging the slow target is waited for', async () => {
    a.always({ type: 'slow-first-byte', delayMs: 300 });
    const result = await chat(gateway.url, { model: 'unhedged' });
    expect(result.headers.get('x-switchyard-provider')).toBe('a');
    expect(b.count()).toBe(0);
  });

  it('the route deadline ends a request that no provider answers in time', async () => {
    a.always({ type: 'hang' });
    const result = await chat(gateway.url, { model: 'short' });
    expect(result.status).toBe(504);
    expect(result.text).toContain('deadline');
    expect(attemptLog(result.headers)[0]!.status).toBe('deadline_exceeded');
  });

  it('x-switchyard-timeout shortens the deadline for one request', async () => {
    a.always({ type: 'hang' });
    const result = await chat(gateway.url, { model: 'a/m', fallbacks: ['b/m'] }, { 'x-switchyard-timeout': '150ms' });
    expect(result.status).toBe(504);
    expect(b.count()).toBe(0);
    const bad = await chat(gateway.url, { model: 'a/m' }, { 'x-switchyard-timeout': 'soon' });
    expect(bad.status).toBe(400);
  });

  it('with the retry budget spent, a failure is returned instead of retried', async () => {
    a.always({ type: 'status', status: 503 });
    const result = await chat(stingy.url, { model: 'a/m', fallbacks: ['b/m'] });
    expect(result.status).toBe(503);
    expect(a.count()).toBe(1);
    expect(b.count()).toBe(0);
    expect((result.body.error as { message: string }).message).toContain('retry budget');
    await sleep(0);
  });
});
