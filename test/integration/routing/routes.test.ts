import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load-config.js';
import type { GatewayModule } from '../../../src/gateway.js';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import { FaultUpstream } from '../../helpers/fault-upstream.js';
import { attemptLog, chat, compatibleProvider } from '../../helpers/routing-gateway.js';

/** Stands in for governance: the x-test-virtual-key header becomes the request's virtual key. */
const fakeGovernance: GatewayModule = {
  name: 'fake-governance',
  setup(assembly) {
    assembly.runtime.hooks.authenticate.push((context) => {
      const name = context.request.headers['x-test-virtual-key'];
      if (typeof name === 'string') context.record.principal = { virtualKeyName: name, virtualKeyId: `vk_${name}` };
    });
  },
};

describe('routes: aliases, rules and fallbacks', () => {
  let east: FaultUpstream;
  let west: FaultUpstream;
  let spare: FaultUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    east = await new FaultUpstream().start();
    west = await new FaultUpstream().start();
    spare = await new FaultUpstream().start();
    const noBreaker = { circuitBreaker: { enabled: false }, retry: { attempts: 0 } };
    gateway = await startTestGateway(
      {
        providers: {
          east: compatibleProvider(east.url, {
            ...noBreaker,
            keys: [
              { name: 'east-general', value: 'sk-general', denyModels: ['secret-*'] },
              { name: 'east-secret', value: 'sk-secret', models: ['secret-*'] },
            ],
          }),
          west: compatibleProvider(west.url, noBreaker),
          spare: compatibleProvider(spare.url, noBreaker),
        },
        routing: {
          aliases: {
            smart: { targets: [{ model: 'east/big-model', weight: 3 }, { model: 'west/big-model', weight: 1 }], fallbacks: ['spare/small-model'] },
            fast: 'west/small-model',
            both: ['east/small-model', 'west/small-model'],
            nested: { targets: ['fast', 'east/small-model'], strategy: 'least-in-flight' },
          },
          rules: [
            { name: 'research', when: { model: 'smart', headers: { 'x-team': 'research' } }, targets: ['spare/research-model'] },
            { name: 'gold', when: { metadata: { tier: ['gold', 'platinum'] } }, targets: ['west/gold-model'] },
            { name: 'team-a', when: { virtualKey: 'team-a' }, fallbacks: ['spare/team-a-fallback'] },
          ],
          fallbacks: { 'east/*': ['west/config-fallback'] },
        },
      },
      { modules: [fakeGovernance] },
    );
  });
  afterAll(async () => {
    await gateway.close();
    for (const upstream of [east, west, spare]) await upstream.stop();
  });
  beforeEach(() => {
    for (const upstream of [east, west, spare]) upstream.reset();
  });

  const upstreamModel = (upstream: FaultUpstream) => upstream.requests.at(-1)?.json?.model;

  it('an alias spreads requests over its weighted targets', async () => {
    for (let index = 0; index < 40; index++) expect((await chat(gateway.url, { model: 'smart' })).status).toBe(200);
    expect(east.count() + west.count()).toBe(40);
    expect(east.count()).toBeGreaterThan(west.count());
    expect(west.count()).toBeGreaterThan(0);
    expect(upstreamModel(east)).toBe('big-model');
  });

  it('an alias attempt says which route chose it', async () => {
    const result = await chat(gateway.url, { model: 'fast' });
    expect(result.headers.get('x-switchyard-provider')).toBe('west');
    expect(attemptLog(result.headers)[0]!.reason).toBe('route fast');
  });

  it('aliases may name aliases', async () => {
    for (let index = 0; index < 30; index++) await chat(gateway.url, { model: 'nested' });
    expect(west.count()).toBeGreaterThan(0);
    expect(east.count()).toBeGreaterThan(0);
    expect(upstreamModel(west)).toBe('small-model');
  });

  it("an alias's fallback is used when its targets fail", async () => {
    east.always({ type: 'status', status: 500 });
    west.always({ type: 'status', status: 500 });
    // These providers allow no retries: one member fails, then the alias's fallback.
    const result = await chat(gateway.url, { model: 'smart' });
    expect(result.status).toBe(200);
    expect(upstreamModel(spare)).toBe('small-model');
    expect(attemptLog(result.headers).map((entry) => entry.reason)).toEqual(['route smart', 'fallback']);
    // With one retry the other member is tried first (at once, no backoff), then the fallback.
    const retried = await chat(gateway.url, { model: 'smart' }, { 'x-switchyard-retries': '1' });
    expect(retried.status).toBe(200);
    const log = attemptLog(retried.headers);
    expect(log.map((entry) => entry.target).sort()).toEqual(['east/big-model', 'spare/small-model', 'west/big-model']);
    expect(log.map((entry) => entry.reason)).toEqual(['route smart', 'retry after 500', 'fallback']);
  });

  it('a rule on a header routes the alias elsewhere', async () => {
    const result = await chat(gateway.url, { model: 'smart' }, { 'x-team': 'research' });
    expect(result.headers.get('x-switchyard-provider')).toBe('spare');
    expect(upstreamModel(spare)).toBe('research-model');
    expect(attemptLog(result.headers)[0]!.reason).toBe('rule research');
  });

  it('a rule on metadata (x-switchyard-metadata) matches any listed value', async () => {
    const result = await chat(gateway.url, { model: 'east/anything' }, { 'x-switchyard-metadata': JSON.stringify({ tier: 'platinum' }) });
    expect(result.headers.get('x-switchyard-provider')).toBe('west');
    expect(upstreamModel(west)).toBe('gold-model');
    const bad = await chat(gateway.url, { model: 'east/anything' }, { 'x-switchyard-metadata': 'tier=gold' });
    expect(bad.status).toBe(400);
  });

  it('a rule on the virtual key adds its fallbacks', async () => {
    east.always({ type: 'status', status: 503 });
    const result = await chat(gateway.url, { model: 'east/small-model' }, { 'x-test-virtual-key': 'team-a' });
    expect(result.status).toBe(200);
    // The rule's fallback comes before routing.fallbacks for "east/*".
    expect(upstreamModel(spare)).toBe('team-a-fallback');
    expect(west.count()).toBe(0);
  });

  it('routing.fallbacks apply by requested model pattern', async () => {
    east.always({ type: 'status', status: 503 });
    const result = await chat(gateway.url, { model: 'east/small-model' });
    expect(result.status).toBe(200);
    expect(upstreamModel(west)).toBe('config-fallback');
  });

  it("the request's own fallbacks (body, then header) come before the configured ones", async () => {
    east.always({ type: 'status', status: 503 });
    spare.always({ type: 'status', status: 503 });
    const result = await chat(gateway.url, { model: 'east/small-model', fallbacks: ['spare/from-body'] }, { 'x-switchyard-fallbacks': 'west/from-header' });
    expect(result.status).toBe(200);
    expect(attemptLog(result.headers).map((entry) => entry.target)).toEqual(['east/small-model', 'spare/from-body', 'west/from-header']);
  });

  it('an unknown fallback is a 4xx naming the parameter', async () => {
    const result = await chat(gateway.url, { model: 'east/small-model', fallbacks: ['nobody/model'] });
    expect(result.status).toBe(400);
    expect((result.body.error as { message: string }).message).toContain('Fallback "nobody/model"');
    expect((result.body.error as { param: string }).param).toBe('fallbacks');
  });

  it('key allow and deny lists pick the key per model', async () => {
    await chat(gateway.url, { model: 'east/secret-model' });
    expect(east.requests.at(-1)!.key).toBe('sk-secret');
    for (let index = 0; index < 5; index++) await chat(gateway.url, { model: 'east/public-model' });
    expect(east.requests.slice(-5).every((request) => request.key === 'sk-general')).toBe(true);
  });
});

describe('routing config validation', () => {
  const providers = { east: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['m1'] } };

  it('names the path of a target nothing serves', () => {
    const { issues } = validateConfig({ providers, routing: { aliases: { smart: ['nobody/model'] } } }, {});
    expect(issues).toEqual([expect.objectContaining({ path: 'routing.aliases.smart' })]);
    expect(issues[0]!.message).toContain('nobody/model');
  });

  it('reports aliases that refer to each other', () => {
    const { issues } = validateConfig({ providers, routing: { aliases: { a: 'b', b: 'a' } } }, {});
    expect(issues.some((issue) => issue.message.includes('cycle'))).toBe(true);
  });

  it('rejects unknown keys and bad strategies by name', () => {
    const { issues } = validateConfig({ providers, routing: { strategy: 'fastest', retryBudget: { percent: 20 } } }, {});
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['routing.strategy', 'routing.retryBudget']));
  });

  it('accepts per-provider retry, circuitBreaker, concurrency and firstToken settings', () => {
    const { config, issues } = validateConfig(
      {
        providers: {
          east: {
            ...providers.east,
            retry: { attempts: 3, initialDelay: '100ms', maxDelay: '2s', multiplier: 3, maxRetryAfter: '10s' },
            circuitBreaker: { consecutiveFailures: 3, failureRate: 0.4, minRequests: 10, window: '20s', ejectFor: '2s', maxEjectFor: '1m', halfOpenProbes: 2 },
            concurrency: { maxInFlight: 10, queue: 5, queueTimeout: '1s' },
            timeouts: { firstToken: '15s' },
            keys: [{ value: 'k', denyModels: ['gpt-4o*'] }],
          },
        },
      },
      {},
    );
    expect(issues).toEqual([]);
    const east = config!.providers[0]!;
    expect(east.retry).toEqual({ attempts: 3, initialDelay: 100, maxDelay: 2000, multiplier: 3, maxRetryAfter: 10_000 });
    expect(east.concurrency).toEqual({ maxInFlight: 10, queue: 5, queueTimeout: 1000 });
    expect(east.timeouts.firstTokenMs).toBe(15_000);
    expect(east.keys[0]!.denyModels).toEqual(['gpt-4o*']);
    expect(east.options).toEqual({});
  });
});
