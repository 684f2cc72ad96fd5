import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BudgetCharge,
  CounterStore,
  RateCharge,
  SeedSpent,
} from '../../../src/store/counters/counter-store.js';
import { ClusterCounters, type CounterChannel } from '../../../src/store/counters/cluster-counters.js';
import { CounterHost } from '../../../src/store/counters/counter-host.js';
import type { CounterRequest } from '../../../src/store/counters/counter-protocol.js';
import { InProcessCounters } from '../../../src/store/counters/in-process-counters.js';
import { RedisCounters } from '../../../src/store/counters/redis-counters.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';

/*
 * One conformance suite for every counter store: the in-process one, the Redis one (against
 * a real redis-server), and a cluster worker's, whose counters the primary keeps (here over a
 * loopback channel that serialises as node's IPC does and keeps message order). The same
 * admissions must give the same answers.
 */

const logger = pino({ level: 'silent' });
const window = { start: 0, end: Number.MAX_SAFE_INTEGER };

function budget(counter: string, limitNano: number, amountNano: number): BudgetCharge {
  return { counter, subject: { scope: 'virtual-key', id: counter }, window, limitNano, amountNano };
}

function requests(counter: string, limit: number, periodMs = 60_000): RateCharge {
  return {
    counter,
    subject: { scope: 'virtual-key', id: counter },
    kind: 'requests',
    limit,
    periodMs,
    cost: 1,
  };
}

type Factory = (seed: SeedSpent) => CounterStore;

/** The worker-to-primary channel without processes: JSON on the way in and out, in send order. */
function loopback(host: CounterHost): CounterChannel {
  const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T;
  return {
    call(_service, payload) {
      const reply = wire(host.handle(wire(payload as CounterRequest)));
      return new Promise((resolve) => setImmediate(() => resolve(reply)));
    },
    notify(_service, payload) {
      host.handle(wire(payload as CounterRequest));
      return true;
    },
  };
}

let redisServer: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redisServer = await startRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redisServer?.stop();
});

const implementations: Array<[string, Factory]> = [
  ['in-process', (seed) => new InProcessCounters(seed)],
  [
    'redis',
    (seed) => {
      const client = new Redis(redisServer.url, { enableOfflineQueue: true, lazyConnect: false });
      clients.push(client);
      return new RedisCounters(client, seed, logger, { prefix: `t${randomUUID().slice(0, 8)}:` });
    },
  ],
  ['cluster', (seed) => new ClusterCounters(loopback(new CounterHost()), seed)],
];

const noSpend: SeedSpent = async () => 0;

describe.each(implementations)('%s counters', (_name, create) => {
  it('admits requests up to the limit and then says when to retry', async () => {
    const counters = create(noSpend);
    const states = [];
    for (let index = 0; index < 5; index++) {
      const result = await counters.admit(randomUUID(), [], [requests('rpm', 5)], 60_000);
      expect(result.admitted).toBe(true);
      states.push(result.rates[0]!.remaining);
    }
    expect(states).toEqual([4, 3, 2, 1, 0]);
    const refused = await counters.admit(randomUUID(), [], [requests('rpm', 5)], 60_000);
    expect(refused.admitted).toBe(false);
    expect(refused.refusal?.kind).toBe('rate');
    // GCRA: one request's worth of time (12 s) must pass, give or take the test's own run time.
    expect(refused.refusal!.retryAfterMs).toBeGreaterThan(10_000);
    expect(refused.refusal!.retryAfterMs).toBeLessThanOrEqual(12_000);
    await counters.close();
  });

  it('admits a budget while spent plus reserved is below the limit (overshoot at most one reservation)', async () => {
    const counters = create(noSpend);
    const outcomes = [];
    for (let index = 0; index < 5; index++)
      outcomes.push((await counters.admit(`r${index}`, [budget('b', 1000, 300)], [], 60_000)).admitted);
    expect(outcomes).toEqual([true, true, true, true, false]);
    const state = await counters.inspect([budget('b', 1000, 0)], []);
    expect(state.budgets[0]).toEqual({ spentNano: 0, reservedNano: 1200 });
    for (let index = 0; index < 4; index++) {
      await counters.settle(
        `r${index}`,
        [
          {
            counter: 'b',
            subject: { scope: 'virtual-key', id: 'b' },
            window,
            reservedNano: 300,
            actualNano: 100,
          },
        ],
        [],
      );
    }
    expect((await counters.inspect([budget('b', 1000, 0)], [])).budgets[0]).toEqual({
      spentNano: 400,
      reservedNano: 0,
    });
    expect((await counters.admit('r5', [budget('b', 1000, 300)], [], 60_000)).admitted).toBe(true);
    await counters.close();
  });

  it('never lets a concurrent burst past the limit by more than one reservation', async () => {
    const counters = create(noSpend);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        counters.admit(`c${index}`, [budget('burst', 100, 7)], [], 60_000),
      ),
    );
    const admitted = results.filter((result) => result.admitted).length;
    // 14 × 7 = 98 < 100 admits a 15th; 105 stops the rest.
    expect(admitted).toBe(15);
    await Promise.all(
      results.map((result, index) =>
        result.admitted
          ? counters.settle(
              `c${index}`,
              [
                {
                  counter: 'burst',
                  subject: { scope: 'virtual-key', id: 'burst' },
                  window,
                  reservedNano: 7,
                  actualNano: 7,
                },
              ],
              [],
            )
          : undefined,
      ),
    );
    const spent = (await counters.inspect([budget('burst', 100, 0)], [])).budgets[0]!.spentNano;
    expect(spent).toBeLessThanOrEqual(100 + 7);
    await counters.close();
  });

  it('takes nothing when any charge refuses', async () => {
    const counters = create(noSpend);
    expect((await counters.admit('a', [], [requests('one', 1)], 60_000)).admitted).toBe(true);
    const refused = await counters.admit('b', [budget('untouched', 1000, 500)], [requests('one', 1)], 60_000);
    expect(refused.admitted).toBe(false);
    expect((await counters.inspect([budget('untouched', 1000, 0)], [])).budgets[0]).toEqual({
      spentNano: 0,
      reservedNano: 0,
    });
    await counters.close();
  });

  it('settles a request once, however often settle is called', async () => {
    const counters = create(noSpend);
    await counters.admit('once', [budget('idem', 10_000, 100)], [], 60_000);
    const settlement = {
      counter: 'idem',
      subject: { scope: 'virtual-key' as const, id: 'idem' },
      window,
      reservedNano: 100,
      actualNano: 80,
    };
    await counters.settle('once', [settlement], []);
    await counters.settle('once', [settlement], []);
    expect((await counters.inspect([budget('idem', 10_000, 0)], [])).budgets[0]).toEqual({
      spentNano: 80,
      reservedNano: 0,
    });
    await counters.close();
  });

  it('starts a budget counter from the durable ledger', async () => {
    const seen: string[] = [];
    const counters = create(async (subject) => {
      seen.push(`${subject.scope}:${subject.id}`);
      return 950;
    });
    const result = await counters.admit('s', [budget('seeded', 1000, 100)], [], 60_000);
    expect(result.admitted).toBe(true);
    expect(result.budgets[0]).toEqual({ spentNano: 950, reservedNano: 100 });
    expect((await counters.admit('t', [budget('seeded', 1000, 100)], [], 60_000)).admitted).toBe(false);
    expect(seen).toEqual(['virtual-key:seeded']);
    await counters.close();
  });

  it('releases reservations that are never settled', async () => {
    const counters = create(noSpend);
    await counters.admit('lost', [budget('leak', 100, 100)], [], 1000);
    expect((await counters.admit('next', [budget('leak', 100, 10)], [], 1000)).admitted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await counters.admit('later', [budget('leak', 100, 10)], [], 1000)).admitted).toBe(true);
    await counters.close();
  });

  it('admits token limits while capacity remains and corrects them with the real count', async () => {
    const counters = create(noSpend);
    const tokens: RateCharge = {
      counter: 'tpm',
      subject: { scope: 'virtual-key', id: 'tpm' },
      kind: 'tokens',
      limit: 1000,
      periodMs: 60_000,
      cost: 1500,
    };
    const first = await counters.admit('t1', [], [tokens], 60_000);
    expect(first.admitted).toBe(true);
    expect(first.rates[0]!.remaining).toBe(0);
    expect((await counters.admit('t2', [], [{ ...tokens, cost: 10 }], 60_000)).admitted).toBe(false);
    // The request used 200 tokens, not 1500.
    await counters.settle('t1', [], [{ counter: 'tpm', limit: 1000, periodMs: 60_000, delta: -1300 }]);
    const state = await counters.inspect(
      [],
      [
        {
          counter: 'tpm',
          subject: { scope: 'virtual-key', id: 'tpm' },
          kind: 'tokens',
          limit: 1000,
          periodMs: 60_000,
        },
      ],
    );
    expect(state.rates[0]!.remaining).toBeGreaterThanOrEqual(799);
    expect(state.rates[0]!.remaining).toBeLessThanOrEqual(801);
    await counters.close();
  });
});

describe('redis counters when Redis is gone', () => {
  it('reports the store as unavailable instead of hanging or crashing', async () => {
    const server = await startRedis();
    const client = new Redis(server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    client.on('error', () => undefined);
    const counters = new RedisCounters(client, noSpend, logger);
    await new Promise((resolve) => client.once('ready', resolve));
    expect((await counters.admit('x', [], [requests('down', 10)], 60_000)).admitted).toBe(true);
    await server.stop();
    await expect(counters.admit('y', [], [requests('down', 10)], 60_000)).rejects.toThrow(/unavailable/);
    await server.start();
    while (client.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(
      (await counters.admit('z', [budget('after', 100, 1)], [requests('down', 10)], 60_000)).admitted,
    ).toBe(true);
    client.disconnect();
    await server.stop();
  });
});
